// SearchRerank: tokenizer.json "post_processor" (TemplateProcessing, BertProcessing, RobertaProcessing).
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Puts the special tokens around one or two encoded sequences and sets the token type ids, from a template of items:
/// a special token (one or more ids) or sequence A/B, each with its type id. BertProcessing is
/// <c>[CLS] $A [SEP]</c> / <c>[CLS] $A [SEP] $B:1 [SEP]:1</c>; RobertaProcessing is <c>&lt;s&gt; $A &lt;/s&gt;</c> /
/// <c>&lt;s&gt; $A &lt;/s&gt; &lt;/s&gt; $B &lt;/s&gt;</c> with every type id 0; no post-processor is <c>$A</c> /
/// <c>$A $B:1</c>. Immutable, thread-safe.
/// </summary>
internal sealed class TemplateProcessor
{
    /// <summary>One template item: <paramref name="Sequence"/> 'A' or 'B', or a special token's ids and name.</summary>
    internal sealed record Item(char Sequence, int[] Ids, string Name, int TypeId);

    private readonly Item[] single, pair;

    public TemplateProcessor(string type, IReadOnlyList<Item> single, IReadOnlyList<Item> pair)
    {
        Type = type;
        this.single = single.ToArray();
        this.pair = pair.ToArray();
    }

    /// <summary>The tokenizer.json type (TemplateProcessing, BertProcessing, RobertaProcessing, none).</summary>
    public string Type { get; }

    /// <summary>Number of special-token ids the template adds to one sequence or to a pair.</summary>
    public int AddedTokens(bool isPair) => (isPair ? pair : single).Where(i => i.Sequence == '\0').Sum(i => i.Ids.Length);

    /// <summary>True when some item of the pair template has type id 1 (the model tells query and passage apart by them).</summary>
    public bool UsesTypeIds => pair.Any(i => i.TypeId != 0);

    public IEnumerable<int> SpecialIds => single.Concat(pair).SelectMany(i => i.Ids);

    /// <summary>Writes the single template around <paramref name="a"/>, or the pair template around both.</summary>
    public (int[] Ids, int[] TypeIds) Apply(ReadOnlySpan<int> a, ReadOnlySpan<int> b, bool isPair)
    {
        var template = isPair ? pair : single;
        int length = 0;
        foreach (var item in template)
            length += item.Sequence switch { 'A' => a.Length, 'B' => b.Length, _ => item.Ids.Length };
        var ids = new int[length];
        var types = new int[length];
        int at = 0;
        foreach (var item in template)
        {
            var source = item.Sequence switch { 'A' => a, 'B' => b, _ => item.Ids };
            source.CopyTo(ids.AsSpan(at));
            types.AsSpan(at, source.Length).Fill(item.TypeId);
            at += source.Length;
        }
        return (ids, types);
    }

    /// <summary>The template in Hugging Face's notation, e.g. <c>[CLS] $A [SEP] $B:1 [SEP]:1</c>.</summary>
    public string Describe(bool isPair) => string.Join(" ", (isPair ? pair : single).Select(i =>
        (i.Sequence == '\0' ? i.Name : "$" + i.Sequence) + (i.TypeId != 0 ? ":" + i.TypeId : "")));

    public override string ToString() => $"{Type}({Describe(isPair: true)})";
}
