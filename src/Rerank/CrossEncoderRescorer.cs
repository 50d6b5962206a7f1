// SearchRerank — MIT licence.
using System.Globalization;
using SearchRerank.Search;
using SearchRerank.Search.Scoring;
using SearchRerank.Core;

namespace SearchRerank.Rerank;

/// <summary>
/// Re-scores first-stage hits with a <see cref="CrossEncoder"/>. Without fusion the final score is the model's raw
/// logit; with a <see cref="ScoreFusion"/> it is the z-score mix of both stages. The document side of each pair is
/// <see cref="TitleAndText"/> unless another projection is given. With a <see cref="DocumentTokenStore"/> (built for the
/// encoder's tokenizer at indexing time) stored documents skip tokenization; the scores are the same either way.
/// Thread-safe when the encoder and the store are (they are).
/// </summary>
public sealed class CrossEncoderRescorer : IRescorer
{
    private readonly CrossEncoder encoder;
    private readonly Func<Hit, string> documentText;
    private readonly DocumentTokenStore? tokenStore;

    public CrossEncoderRescorer(CrossEncoder encoder, ScoreFusion? fusion = null, Func<Hit, string>? documentText = null,
        DocumentTokenStore? tokenStore = null)
    {
        this.encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        if (tokenStore != null && documentText != null)
            throw new ArgumentException("a token store holds title + \" \" + text; it cannot serve a custom document projection", nameof(tokenStore));
        Fusion = fusion;
        this.documentText = documentText ?? TitleAndText;
        this.tokenStore = tokenStore;
    }

    public ScoreFusion? Fusion { get; }

    /// <summary><c>title + " " + text</c>, or the text alone when there is no title (the sentence-transformers convention).</summary>
    public static string TitleAndText(Hit hit) => Document.TitleAndText(hit.Title, hit.Text);

    public IReadOnlyList<RerankedHit> Rescore(string query, IReadOnlyList<Hit> firstStage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(firstStage);
        cancellationToken.ThrowIfCancellationRequested();
        if (firstStage.Count == 0)
            return [];
        var logits = tokenStore is null
            ? encoder.Predict(firstStage.Select(h => (query, documentText(h))).ToArray())
            : encoder.PredictTokenized(Tokenized(query, firstStage));
        var crossEncoder = logits.Select(l => (double)l).ToArray();
        var final = Fusion?.Combine(firstStage.Select(h => h.Score).ToArray(), crossEncoder) ?? crossEncoder;
        var hits = new RerankedHit[firstStage.Count];
        for (var i = 0; i < hits.Length; i++)
        {
            var h = firstStage[i];
            hits[i] = new RerankedHit(h.DocId, final[i], h.Score, crossEncoder[i], h.Title, h.Text);
        }

        Array.Sort(hits, CompareRanked);
        return hits;
    }

    public Explanation Explain(IReadOnlyList<RerankedHit> rescored, string docId, Explanation? firstStage = null)
    {
        ArgumentNullException.ThrowIfNull(rescored);
        var hit = rescored.FirstOrDefault(h => h.DocId == docId)
                  ?? throw new ArgumentException($"document '{docId}' is not among the {rescored.Count} re-scored candidates", nameof(docId));
        var first = firstStage ?? new Explanation(hit.FirstStageScore, "first-stage score");
        var crossEncoder = new Explanation(hit.CrossEncoderScore,
            $"cross-encoder logit of (query, document), at most {encoder.Options.MaxLength} tokens, {encoder.Options.LongDocuments}");
        if (Fusion is null)
            return new Explanation(hit.Score, "cross-encoder logit; the first stage only selected the candidate", [crossEncoder, first]);

        var a = Fusion.Alpha;
        return new Explanation(hit.Score,
            Invariant($"{a:0.###}·z(first) + {1 - a:0.###}·z(CE), z = (x − mean) / std over the {rescored.Count} candidates of the query"),
            [Standardised(hit.FirstStageScore, rescored.Select(h => h.FirstStageScore).ToArray(), "first", first),
             Standardised(hit.CrossEncoderScore, rescored.Select(h => h.CrossEncoderScore).ToArray(), "CE", crossEncoder)]);
    }

    private static Explanation Standardised(double x, double[] all, string name, Explanation inner)
    {
        var mean = all.Average();
        var std = Math.Sqrt(all.Sum(s => (s - mean) * (s - mean)) / all.Length);
        var z = std > 0 ? (x - mean) / std : 0;
        return new Explanation(z, Invariant($"z({name}) = ({x:G6} − {mean:G6}) / {std:G6}") + (std > 0 ? "" : " (all equal: 0)"), [inner]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private (int[] Query, int[] Document)[] Tokenized(string query, IReadOnlyList<Hit> hits)
    {
        var queryIds = encoder.Tokenizer.Tokenize(query);
        return hits.Select(h => (queryIds, tokenStore!.TryGet(h.DocId, out var ids) ? ids : encoder.Tokenizer.Tokenize(documentText(h))))
            .ToArray();
    }

    /// <summary>Score descending, then document id descending (ordinal): the tie rule of Searcher and trec_eval.</summary>
    internal static int CompareRanked(RerankedHit x, RerankedHit y)
    {
        var byScore = y.Score.CompareTo(x.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(y.DocId, x.DocId);
    }

    public override string ToString() => Fusion is null ? $"CE({encoder.Options.MaxLength})" : $"CE({encoder.Options.MaxLength})+{Fusion}";
}
