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
/// <c>QueryRescorer</c> it is made for one query (the text the model pairs with each document), keeps no state between
/// calls (one instance may serve any number of threads and calls) and works on any index: the document text comes from
/// the stored fields named in <see cref="CrossEncoderRescorerOptions.Fields"/>. The hits must come from the searcher
/// given to <see cref="Rescore"/> (same reader, same document numbers).
/// <para>
/// Without fusion the new score is the model's raw logit; with <see cref="CrossEncoderRescorerOptions.Fusion"/> it is
/// the z-score mix of both stages over the candidates. Ties are broken by Lucene document number ascending, as in
/// QueryRescorer. <see cref="Explain(IndexSearcher, Explanation, int)"/> nests the first-pass explanation and scores the
/// one document again; a fused score depends on every candidate, so it is explained by
/// <see cref="Explain(IndexSearcher, TopDocs, Explanation, int)"/>, which is given them.
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

    /// <exception cref="ArgumentException"><paramref name="query"/> is empty or blank, or the options name no field.</exception>
    public CrossEncoderRescorer(CrossEncoder encoder, string query, CrossEncoderRescorerOptions? options = null)
    {
        this.encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        ArgumentNullException.ThrowIfNull(query);
        // An empty query pairs every document with nothing: the model would still rank them, by a document prior alone.
        if (string.IsNullOrWhiteSpace(query))
            throw new ArgumentException("the query is empty: the cross-encoder scores (query, document) pairs", nameof(query));
        Query = query;
        Options = options ?? new CrossEncoderRescorerOptions();
        if (Options.Fields.Count == 0 || Options.Fields.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("CrossEncoderRescorerOptions.Fields must name at least one stored field, none of them blank", nameof(options));
        fieldSet = new HashSet<string>(Options.Fields, StringComparer.Ordinal);
    }

    /// <summary>The query text paired with every document.</summary>
    public string Query { get; }

    public CrossEncoderRescorerOptions Options { get; }

    /// <summary>Re-scores every hit of <paramref name="firstPassTopDocs"/> and returns the best <paramref name="topN"/> as <see cref="RescoredDoc"/>s.</summary>
    /// <exception cref="RerankException">A field of <see cref="CrossEncoderRescorerOptions.Fields"/> is stored by none of
    /// the candidates, or a candidate stores none of them; the message names the field and the stored fields the
    /// documents have.</exception>
    public override TopDocs Rescore(IndexSearcher searcher, TopDocs firstPassTopDocs, int topN)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        ArgumentNullException.ThrowIfNull(firstPassTopDocs);
        ArgumentOutOfRangeException.ThrowIfNegative(topN);
        if (firstPassTopDocs.ScoreDocs.Length == 0)
            return new TopDocs(firstPassTopDocs.TotalHits, [], float.NaN);
        var rescored = RescoreAll(searcher.IndexReader, firstPassTopDocs.ScoreDocs);
        Array.Sort(rescored, (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Doc.CompareTo(y.Doc));
        var top = rescored.Length <= topN ? rescored : rescored[..topN];
        return new TopDocs(firstPassTopDocs.TotalHits, top, top.Length > 0 ? top[0].Score : float.NaN);
    }

    /// <summary>
    /// How document <paramref name="docID"/>'s new score is made, nesting <paramref name="firstPassExplanation"/>: the
    /// document is scored again. Without fusion any document can be explained, a candidate or not.
    /// </summary>
    /// <exception cref="InvalidOperationException">With fusion: the score depends on all candidates; use
    /// <see cref="Explain(IndexSearcher, TopDocs, Explanation, int)"/>.</exception>
    /// <exception cref="RerankException">The document stores none of the configured fields.</exception>
    public override Explanation Explain(IndexSearcher searcher, Explanation firstPassExplanation, int docID)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        ArgumentNullException.ThrowIfNull(firstPassExplanation);
        if (Options.Fusion is not null)
            throw new InvalidOperationException("a fused score is standardised over all candidates of the query: explain it with "
                                                + "Explain(searcher, firstPassTopDocs, firstPassExplanation, docID), given the first pass that was re-scored");
        var logit = Score(searcher.IndexReader, [new ScoreDoc(docID, firstPassExplanation.Value)])[0];
        return Unfused(logit, firstPassExplanation);
    }

    /// <summary>
    /// How document <paramref name="docID"/>'s score among the candidates <paramref name="firstPassTopDocs"/> is made,
    /// nesting <paramref name="firstPassExplanation"/>: scores every candidate again, as <see cref="Rescore"/> did, so a
    /// fused score is explained with the means and deviations it was standardised by.
    /// </summary>
    /// <exception cref="ArgumentException">The document is not among the candidates.</exception>
    /// <exception cref="RerankException">As <see cref="Rescore"/>.</exception>
    public Explanation Explain(IndexSearcher searcher, TopDocs firstPassTopDocs, Explanation firstPassExplanation, int docID)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        ArgumentNullException.ThrowIfNull(firstPassTopDocs);
        ArgumentNullException.ThrowIfNull(firstPassExplanation);
        var hits = firstPassTopDocs.ScoreDocs;
        if (hits.All(h => h.Doc != docID))
            throw new ArgumentException($"document {docID} is not among the {hits.Length} candidates; fused scores are standardised over the candidates",
                                        nameof(docID));
        var candidates = RescoreAll(searcher.IndexReader, hits);
        var candidate = candidates.First(c => c.Doc == docID);
        if (Options.Fusion is not { } fusion)
            return Unfused(candidate.CrossEncoderScore, firstPassExplanation);

        var a = fusion.Alpha;
        var fused = new Explanation(candidate.Score,
            Invariant($"{a:0.###}·z(first) + {1 - a:0.###}·z(CE), z = (x − mean) / std over the {candidates.Length} candidates of the query"));
        fused.AddDetail(Standardised(candidate.FirstStageScore, candidates.Select(c => (double)c.FirstStageScore).ToArray(), "first", firstPassExplanation));
        fused.AddDetail(Standardised(candidate.CrossEncoderScore, candidates.Select(c => (double)c.CrossEncoderScore).ToArray(), "CE",
            CrossEncoderDetail(candidate.CrossEncoderScore)));
        return fused;
    }

    /// <summary>The run tag of a cross-encoder re-ranking: <c>CE(maxLength)</c>, with the fusion appended.</summary>
    public static string Describe(CrossEncoder encoder, ScoreFusion? fusion) =>
        fusion is null ? $"CE({encoder.MaxLength})" : $"CE({encoder.MaxLength})+{fusion}";

    public override string ToString() => Describe(encoder, Options.Fusion);

    /// <summary>Every hit with its new score, in the order of <paramref name="hits"/>.</summary>
    private RescoredDoc[] RescoreAll(IndexReader reader, ScoreDoc[] hits)
    {
        var crossEncoder = Score(reader, hits);
        var first = hits.Select(h => (double)h.Score).ToArray();
        var final = Options.Fusion?.Combine(first, crossEncoder.Select(s => (double)s).ToArray()) ?? crossEncoder.Select(s => (double)s).ToArray();
        var rescored = new RescoredDoc[hits.Length];
        for (var i = 0; i < hits.Length; i++)
            rescored[i] = new RescoredDoc(hits[i].Doc, (float)final[i], hits[i].ShardIndex, hits[i].Score, crossEncoder[i]);
        return rescored;
    }

    private Explanation Unfused(float logit, Explanation firstPassExplanation)
    {
        var plain = new Explanation(logit, "cross-encoder logit; the first stage only selected the candidate");
        plain.AddDetail(CrossEncoderDetail(logit));
        plain.AddDetail(firstPassExplanation);
        return plain;
    }

    private Explanation CrossEncoderDetail(float logit) => new(logit, Invariant(
        $"cross-encoder logit of (query, {string.Join(" + ", Options.Fields)}), at most {encoder.MaxLength} tokens, {encoder.Options.LongDocuments}"));

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
        {
            var texts = DocumentTexts(reader, hits.Select(h => h.Doc).ToArray());
            return encoder.Predict(texts.Select(text => (Query, text)).ToArray());
        }
        var leaves = reader.Leaves;
        var queryIds = encoder.Tokenizer.Tokenize(Query);
        var fingerprint = encoder.Tokenizer.Fingerprint;
        var value = new BytesRef();
        var pairs = new (int[] Query, int[] Document)[hits.Length];
        var untokenized = new List<int>();
        for (var i = 0; i < hits.Length; i++)
        {
            var leaf = leaves[ReaderUtil.SubIndex(hits[i].Doc, leaves)];
            var values = leaf.AtomicReader.GetBinaryDocValues(Options.PretokenizedField);
            values?.Get(hits[i].Doc - leaf.DocBase, value);
            if (values is not null && PretokenizedIds.TryDecode(value, fingerprint, out var ids))
                pairs[i] = (queryIds, ids);
            else
                untokenized.Add(i);
        }
        var read = DocumentTexts(reader, untokenized.Select(i => hits[i].Doc).ToArray());
        for (var j = 0; j < untokenized.Count; j++)
            pairs[untokenized[j]] = (queryIds, encoder.Tokenizer.Tokenize(read[j]));
        return encoder.PredictTokenized(pairs);
    }

    /// <summary>
    /// The values of the configured stored fields of each document, in their order, joined by spaces. Checked over the
    /// documents together: a misspelt or unstored field would otherwise give every candidate the same text and the
    /// same score, and the re-ranking would silently return the first stage's order.
    /// </summary>
    /// <exception cref="RerankException">A configured field is stored by none of the documents, or a document stores none of them.</exception>
    private string[] DocumentTexts(IndexReader reader, int[] docs)
    {
        var stored = docs.Select(doc => reader.Document(doc, fieldSet)).ToArray();
        if (docs.Length > 0)
        {
            var absent = Options.Fields.Where(f => stored.All(d => d.GetField(f) is null)).Distinct().ToArray();
            if (absent.Length > 0)
                throw new RerankException($"CrossEncoderRescorerOptions.Fields names {Quoted(absent)}, which none of the {docs.Length} "
                                          + $"candidate{(docs.Length == 1 ? "" : "s")} stores (a field indexed but not stored cannot be read back); "
                                          + StoredFields(reader, docs));
            var empty = Array.FindIndex(stored, d => d.Fields.Count == 0);
            if (empty >= 0)
                throw new RerankException($"document {docs[empty]} stores none of the fields {Quoted(Options.Fields)} that "
                                          + $"CrossEncoderRescorerOptions.Fields names; {StoredFields(reader, [docs[empty]])}");
        }
        return stored.Select(d => string.Join(' ', Options.Fields.SelectMany(d.GetValues).Where(v => !string.IsNullOrEmpty(v)))).ToArray();
    }

    private static string StoredFields(IndexReader reader, int[] docs)
    {
        var names = docs.SelectMany(doc => reader.Document(doc).Fields.Select(f => f.Name)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var who = docs.Length == 1 ? "the document stores" : "the candidates store";
        return names.Length == 0 ? $"{who} no field at all" : $"{who} {Quoted(names)}";
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
