using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Tests.Model;

namespace SearchRerank.Train.Tests;

public sealed class PairEncoderTests
{
    private static readonly BertTokenizer Tokenizer = BertTokenizer.FromVocabulary(Path.Combine(ReferenceFiles.TinyModel, "vocab.txt"));

    private static PairEncoder Encoder() => new(Tokenizer, id => id == "d" ? ("aspirin trial", "the heart study") : null, exactMatch: false);

    [Fact]
    public void EachPairChoosesWhetherTheTitleIsShown()
    {
        var encoder = Encoder();
        var batch = encoder.Batch([("aspirin", "d", false), ("aspirin", "d", true)], maxLength: 32);
        Assert.Equal(encoder.Encode("aspirin", "d", 32).InputIds, Row(batch, 0));
        Assert.Equal(encoder.Encode("aspirin", "d", 32, textOnly: true).InputIds, Row(batch, 1));
        Assert.Equal(Tokenizer.Tokenize("aspirin trial the heart study").Length - Tokenizer.Tokenize("the heart study").Length,
            Row(batch, 0).Length - Row(batch, 1).Length);
    }

    [Fact]
    public void UnknownDocumentIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Encoder().Encode("q", "missing", 16));
        Assert.Contains("'missing'", error.Message);
    }

    private static int[] Row(EncodedBatch batch, int row) =>
        batch.InputIds.Skip(row * batch.SequenceLength).Take(batch.SequenceLength).Where(id => id != 0).ToArray();
}
