using SearchRerank.Core;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Recipes;

namespace SearchRerank.Train.Stages;

/// <summary>
/// Stage 0 as masked-LM pre-training on the index's own documents (objective <c>mlm</c>): every stored document's
/// title + text (as the re-ranker reads it), WordPiece-tokenized by the recipe's tokenizer and cut into consecutive
/// <c>[CLS] … [SEP]</c> windows of the stage's max_length, each window one item. A fresh <see cref="BertMaskedLmHead"/>,
/// tied to the word embeddings, reads the encoder; it is trained and checkpointed with the stage and then dropped.
/// A collection without queries or judgments can be adapted this way.
/// </summary>
internal sealed class MaskedLmStage(StageSpec spec) : IStage
{
    /// <summary>BERT's mask token; the vocabulary must hold it as a special token.</summary>
    public const string MaskToken = "[MASK]";

    public StageSpec Spec { get; } = spec;

    public IStageObjective Prepare(TrainingSession session, int index)
    {
        long seed = StageSeeds.Of(session.Recipe, index);
        var tokenizer = session.Encoder.Tokenizer;
        var documents = StageSeeds.Cap(session.Searcher.Documents().ToArray(), Spec.Data.MaxQueries, seed);
        var sequences = Windows(documents, tokenizer, Spec.MaxLength);
        if (sequences.Count == 0)
            throw new TrainingException($"{session.Inputs.IndexDirectory}: no document of the index has text to train stage '{Spec.Name}' (objective mlm) on");
        return new MaskedLmObjective(sequences, new BertMaskedLmHead(session.Model, seed), tokenizer, MaskId(session, tokenizer), seed);
    }

    private int MaskId(TrainingSession session, BertTokenizer tokenizer)
    {
        var ids = tokenizer.Tokenize(MaskToken);
        if (ids.Length != 1 || !tokenizer.IsSpecial(ids[0]))
            throw new TrainingException($"{session.Recipe.Model.Tokenizer}: the tokenizer has no special {MaskToken} token, which stage '{Spec.Name}' (objective mlm) masks with");
        return ids[0];
    }

    /// <summary>Each document's tokens in windows of max_length − 2, in document order, each framed by [CLS] and [SEP].</summary>
    private static IReadOnlyList<int[]> Windows(IReadOnlyList<CorpusDocument> documents, BertTokenizer tokenizer, int maxLength)
    {
        var tokens = new int[documents.Count][];
        Parallel.For(0, documents.Count, i => tokens[i] = tokenizer.Tokenize(CorpusDocument.TitleAndText(documents[i].Title, documents[i].Text)));
        int window = maxLength - 2;
        var windows = new List<int[]>();
        foreach (var ids in tokens)
        {
            for (int start = 0; start < ids.Length; start += window)
            {
                int n = Math.Min(window, ids.Length - start);
                var sequence = new int[n + 2];
                sequence[0] = tokenizer.ClsId;
                ids.AsSpan(start, n).CopyTo(sequence.AsSpan(1));
                sequence[n + 1] = tokenizer.SepId;
                windows.Add(sequence);
            }
        }
        return windows;
    }
}
