using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SearchRerank.Rerank.Pretokenization;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank;

/// <summary>
/// A Lucene <see cref="Rescorer"/> that re-scores first-pass hits with a <see cref="CrossEncoder"/>: the second pass of
/// a two-pass search, where the expensive model reads only what a cheap query retrieved. Like Lucene's
/// <c>QueryRescorer</c> it is made for one query (the text the model pairs with each document) and works on any
/// index: the document text comes from the stored fields named in <see cref="CrossEncoderRescorerOptions.Fields"/>.
/// The hits must come from <paramref name="searcher"/> of <see cref="Rescore"/> (same reader, same document numbers).
/// <para>
/// Without fusion the new score is the model's raw logit; with <see cref="CrossEncoderRescorerOptions.Fusion"/> it is
/// the z-score mix of both stages over the candidates. Ties are broken by Lucene document number ascending, as in
/// QueryRescorer. <see cref="Explain"/> nests the first-pass explanation; for fused scores it needs the candidates of
/// the latest <see cref="Rescore"/> call. Thread-safe; <see cref="Explain"/> refers to the latest call.
/// </para>
/// </summary>
/// <example>
/// <code>
/// TopDocs firstPass = indexSearcher.Search(query, 100);
/// var rescorer = new CrossEncoderRescorer(encoder, queryText, new CrossEncoderRescorerOptions { Fields = ["headline", "body"] });
/// TopDocs reranked = rescorer.Rescore(indexSearcher, firstPass, 10);
/// </code>
/// </example>
public sealed class CrossEncoderRescorer : Rescorer
{
    private readonly CrossEncoder encoder;
    private readonly ISet<string> fieldSet;
    private volatile RescoredDoc[]? latest;

    public CrossEncoderRescorer(CrossEncoder encoder, string query, CrossEncoderRescorerOptions? options = null)
    {
        this.encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        Query = query ?? throw new ArgumentNullException(nameof(query));
        Options = options ?? new CrossEncoderRescorerOptions();
        if (Options.Fields.Count == 0)
            throw new ArgumentException("at least one stored field must make the document text", nameof(options));
        fieldSet = new HashSet<string>(Options.Fields, StringComparer.Ordinal);
    }

    /// <summary>The query text paired with every document.</summary>
    public string Query { get; }

    public CrossEncoderRescorerOptions Options { get; }

    /// <summary>Re-scores every hit of <paramref name="firstPassTopDocs"/> and returns the best <paramref name="topN"/> as <see cref="RescoredDoc"/>s.</summary>
    public override TopDocs Rescore(IndexSearcher searcher, TopDocs firstPassTopDocs, int topN)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        ArgumentNullException.ThrowIfNull(firstPassTopDocs);
        ArgumentOutOfRangeException.ThrowIfNegative(topN);
        var hits = firstPassTopDocs.ScoreDocs;
        if (hits.Length == 0)
        {
            latest = [];
            return new TopDocs(firstPassTopDocs.TotalHits, [], float.NaN);
        }
        var crossEncoder = Score(searcher.IndexReader, hits);
        var first = hits.Select(h => (double)h.Score).ToArray();
        var final = Options.Fusion?.Combine(first, crossEncoder.Select(s => (double)s).ToArray()) ?? crossEncoder.Select(s => (double)s).ToArray();
        var rescored = new RescoredDoc[hits.Length];
        for (var i = 0; i < hits.Length; i++)
            rescored[i] = new RescoredDoc(hits[i].Doc, (float)final[i], hits[i].ShardIndex, hits[i].Score, crossEncoder[i]);
        Array.Sort(rescored, (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Doc.CompareTo(y.Doc));
        latest = rescored;
        var top = rescored.Length <= topN ? rescored : rescored[..topN];
        return new TopDocs(firstPassTopDocs.TotalHits, top, top.Length > 0 ? top[0].Score : float.NaN);
    }

    /// <summary>
    /// How document <paramref name="docID"/>'s new score is made, nesting <paramref name="firstPassExplanation"/>.
    /// Without fusion a document that was not a candidate is scored on the spot.
    /// </summary>
    /// <exception cref="ArgumentException">With fusion: the document is not among the candidates of the latest <see cref="Rescore"/>.</exception>
    public override Explanation Explain(IndexSearcher searcher, Explanation firstPassExplanation, int docID)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        ArgumentNullException.ThrowIfNull(firstPassExplanation);
        var candidates = latest ?? [];
        var candidate = candidates.FirstOrDefault(c => c.Doc == docID);
        if (candidate is null && Options.Fusion is not null)
            throw new ArgumentException($"document {docID} is not among the {candidates.Length} candidates of the latest Rescore; "
                                        + "fused scores are standardised over those candidates", nameof(docID));
        var logit = candidate?.CrossEncoderScore ?? Score(searcher.IndexReader, [new ScoreDoc(docID, firstPassExplanation.Value)])[0];
        var crossEncoder = new Explanation(logit, Invariant(
            $"cross-encoder logit of (query, {string.Join(" + ", Options.Fields)}), at most {encoder.MaxLength} tokens, {encoder.Options.LongDocuments}"));
        if (Options.Fusion is not { } fusion)
        {
            var plain = new Explanation(logit, "cross-encoder logit; the first stage only selected the candidate");
            plain.AddDetail(crossEncoder);
            plain.AddDetail(firstPassExplanation);
            return plain;
        }

        var a = fusion.Alpha;
        var fused = new Explanation(candidate!.Score,
            Invariant($"{a:0.###}·z(first) + {1 - a:0.###}·z(CE), z = (x − mean) / std over the {candidates.Length} candidates of the query"));
        fused.AddDetail(Standardised(candidate.FirstStageScore, candidates.Select(c => (double)c.FirstStageScore).ToArray(), "first", firstPassExplanation));
        fused.AddDetail(Standardised(logit, candidates.Select(c => (double)c.CrossEncoderScore).ToArray(), "CE", crossEncoder));
        return fused;
    }

    /// <summary>The run tag of a cross-encoder re-ranking: <c>CE(maxLength)</c>, with the fusion appended.</summary>
    public static string Describe(CrossEncoder encoder, ScoreFusion? fusion) =>
        fusion is null ? $"CE({encoder.MaxLength})" : $"CE({encoder.MaxLength})+{fusion}";

    public override string ToString() => Describe(encoder, Options.Fusion);

    private static Explanation Standardised(double x, double[] all, string name, Explanation inner)
    {
        var mean = all.Average();
        var std = Math.Sqrt(all.Sum(s => (s - mean) * (s - mean)) / all.Length);
        var z = std > 0 ? (x - mean) / std : 0;
        var explanation = new Explanation((float)z, Invariant($"z({name}) = ({x:G6} − {mean:G6}) / {std:G6}") + (std > 0 ? "" : " (all equal: 0)"));
        explanation.AddDetail(inner);
        return explanation;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One logit per hit, from pre-tokenized ids where the index holds them for this tokenizer, else from the stored text.</summary>
    private float[] Score(IndexReader reader, ScoreDoc[] hits)
    {
        if (Options.PretokenizedField is null)
            return encoder.Predict(hits.Select(h => (Query, DocumentText(reader, h.Doc))).ToArray());
        var leaves = reader.Leaves;
        var queryIds = encoder.Tokenizer.Tokenize(Query);
        var fingerprint = encoder.Tokenizer.Fingerprint;
        var value = new BytesRef();
        var pairs = new (int[] Query, int[] Document)[hits.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            var leaf = leaves[ReaderUtil.SubIndex(hits[i].Doc, leaves)];
            var values = leaf.AtomicReader.GetBinaryDocValues(Options.PretokenizedField);
            values?.Get(hits[i].Doc - leaf.DocBase, value);
            pairs[i] = (queryIds, values is not null && PretokenizedIds.TryDecode(value, fingerprint, out var ids)
                ? ids
                : encoder.Tokenizer.Tokenize(DocumentText(reader, hits[i].Doc)));
        }
        return encoder.PredictTokenized(pairs);
    }

    /// <summary>The values of the configured stored fields of <paramref name="doc"/>, in their order, joined by spaces.</summary>
    /// <exception cref="ArgumentException">The document stores none of <see cref="CrossEncoderRescorerOptions.Fields"/>.</exception>
    private string DocumentText(IndexReader reader, int doc)
    {
        var stored = reader.Document(doc, fieldSet);
        // Without this check a misspelt or unstored field gives every candidate the same empty text and the same score,
        // and the re-ranking silently returns the first stage's order.
        if (stored.Fields.Count == 0)
        {
            var available = reader.Document(doc).Fields.Select(f => f.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
            throw new ArgumentException($"document {doc} stores none of the fields {string.Join(", ", Options.Fields.Select(f => $"'{f}'"))} that "
                                        + "CrossEncoderRescorerOptions.Fields names (a field indexed but not stored cannot be read back); "
                                        + (available.Length == 0 ? "it stores no field at all" : $"its stored fields are {string.Join(", ", available.Select(f => $"'{f}'"))}"));
        }
        var parts = Options.Fields.SelectMany(stored.GetValues).Where(v => !string.IsNullOrEmpty(v));
        return string.Join(' ', parts);
    }
}
