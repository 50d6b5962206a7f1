// SearchRerank: exact-match flags of a pair encoding.
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Rerank.Tests.Tokenization;

public sealed class ExactMatchTests : IClassFixture<TokenizerFixture>
{
    private readonly BertTokenizer tokenizer;

    public ExactMatchTests(TokenizerFixture tokenizers) => tokenizer = tokenizers.FromJson;

    [Fact]
    public void FlagsTokensSharedBetweenQueryAndDocument()
    {
        var pair = tokenizer.EncodePair("red cats", "the cats are red and cats", 32);
        var tokens = pair.InputIds.Select(tokenizer.IdToToken).ToArray();
        Assert.Equal(["[CLS]", "red", "cats", "[SEP]", "the", "cats", "are", "red", "and", "cats", "[SEP]"], tokens);
        Assert.Equal([0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0], ExactMatch.Flags(pair, tokenizer));
    }

    [Fact]
    public void SpecialTokensNeverMatchEvenWhenRepeated()
    {
        var pair = tokenizer.EncodePair("[MASK] \u2603", "[MASK] \u2603 [SEP]", 32); // ☃ is [UNK] on both sides
        Assert.All(ExactMatch.Flags(pair, tokenizer), flag => Assert.Equal(0, flag));
    }

    [Fact]
    public void WordPiecesMatchById()
    {
        var pair = tokenizer.EncodePair("Ångström units", "the angstrom unit", 32); // ang ##strom on both sides
        var flags = ExactMatch.Flags(pair, tokenizer);
        var tokens = pair.InputIds.Select(tokenizer.IdToToken).ToArray();
        for (int i = 0; i < tokens.Length; i++)
        {
            bool query = pair.TokenTypeIds[i] == 0;
            bool expected = !tokenizer.IsSpecial(pair.InputIds[i]) &&
                            pair.InputIds.Where((id, j) => (pair.TokenTypeIds[j] == 0) != query).Contains(pair.InputIds[i]);
            Assert.Equal(expected ? 1 : 0, flags[i]);
        }
        Assert.Contains(1, flags);
    }

    [Fact]
    public void EmptySegmentsGiveAllZeros()
    {
        var pair = tokenizer.EncodePair("", "", 8);
        Assert.Equal([0, 0, 0], ExactMatch.Flags(pair, tokenizer));
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var broken = new PairEncoding([101, 102], [0], false);
        Assert.Throws<ArgumentException>(() => ExactMatch.Flags(broken, tokenizer));
    }
}
