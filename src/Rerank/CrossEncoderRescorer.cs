// SearchRerank — MIT licence.
using SearchRerank.Search;

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
    public static string TitleAndText(Hit hit) => string.IsNullOrEmpty(hit.Title) ? hit.Text : hit.Title + " " + hit.Text;

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
