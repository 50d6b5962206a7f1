// SearchRerank: tokenizer.json "Sequence" of pre-tokenizers.
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Each pre-tokenizer splits every piece the previous one produced (e.g. T5's WhitespaceSplit then Metaspace).</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> preTokenizers) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        var current = new List<PreToken> { piece };
        var next = new List<PreToken>();
        foreach (var preTokenizer in preTokenizers)
        {
            next.Clear();
            foreach (var p in current)
                preTokenizer.Split(p, next);
            (current, next) = (next, current);
        }
        output.AddRange(current);
    }

    public override string ToString() => $"Sequence[{string.Join(", ", preTokenizers)}]";
}
