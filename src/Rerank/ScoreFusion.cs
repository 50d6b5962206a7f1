using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Search;

namespace SearchRerank.Rerank;

/// <summary>
/// Linear interpolation of the two stages after per-query standardisation:
/// <c>score = α·z(first) + (1 − α)·z(cross-encoder)</c>, with <c>z(x) = (x − mean) / std</c> over the candidates of one
/// query (population standard deviation, n in the denominator). BM25 and logits live on unrelated scales, and both
/// drift from query to query; z-scores put each query's candidates on a common scale before mixing. When every
/// candidate has the same score on a stage (std 0), that stage contributes 0 for all of them.
/// Trained models store their α as <c>fusion.json</c>: <c>{"alpha": a, "normalization": "zscore", "collection":
/// {"documents": n, "fingerprint": "…"}}</c>, the collection being the index it was trained and tuned on
/// (<see cref="CollectionFingerprint"/>; <see cref="FusionChoice"/> decides the weight on another one).
/// </summary>
public sealed record ScoreFusion
{
    public const string FileName = "fusion.json";

    /// <summary>
    /// The weight measured safe on a collection a model was not trained on: with α 0.7, every SciFact-trained seed fused
    /// on Cranfield was at or above BM25, while their in-domain α fell below it (docs/training.md, "Off-domain
    /// fusion" and "What was tried").
    /// </summary>
    public const double OffDomainAlpha = 0.7;

    public ScoreFusion(double alpha)
    {
        if (!double.IsFinite(alpha) || alpha < 0 || alpha > 1)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "fusion alpha must be in [0, 1]");
        Alpha = alpha;
    }

    /// <summary>Weight of the first stage; 0 = cross-encoder only, 1 = first stage only.</summary>
    public double Alpha { get; }

    /// <summary>Reads <c>fusion.json</c> from a model directory; null when the directory has none.</summary>
    /// <exception cref="InvalidDataException">The file exists but is malformed; the message names it.</exception>
    public static ScoreFusion? FromModelDirectory(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("alpha", out var alpha) || alpha.ValueKind != JsonValueKind.Number)
                throw new InvalidDataException($"{path}: expected an object with a numeric field 'alpha'");
            if (root.TryGetProperty("normalization", out var norm) && norm.GetString() != "zscore")
                throw new InvalidDataException($"{path}: field 'normalization' is {norm.GetRawText()}, only \"zscore\" is supported");
            var a = alpha.GetDouble();
            if (!double.IsFinite(a) || a < 0 || a > 1)
                throw new InvalidDataException($"{path}: field 'alpha' must be in [0, 1], got {a}");
            return new ScoreFusion(a);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}:{JsonErrors.Line(ex)}: invalid JSON: {JsonErrors.Reason(ex)}", ex);
        }
    }

    /// <summary>The collection fusion.json says the model was trained on; null without fusion.json or that field.</summary>
    /// <exception cref="InvalidDataException">The field is malformed; the message names the file.</exception>
    internal static CollectionFingerprint? TrainedOn(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("collection", out var collection)
                || collection.ValueKind == JsonValueKind.Null)
                return null;
            if (collection.ValueKind != JsonValueKind.Object
                || !collection.TryGetProperty("documents", out var documents) || documents.ValueKind != JsonValueKind.Number
                || !documents.TryGetInt64(out var count)
                || !collection.TryGetProperty("fingerprint", out var fingerprint) || fingerprint.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}: field 'collection' must be {{\"documents\": n, \"fingerprint\": \"…\"}}");
            return new CollectionFingerprint(count, fingerprint.GetString()!);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}:{JsonErrors.Line(ex)}: invalid JSON: {JsonErrors.Reason(ex)}", ex);
        }
    }

    /// <summary>Fused scores of one query's candidates, in input order.</summary>
    public double[] Combine(IReadOnlyList<double> firstStage, IReadOnlyList<double> crossEncoder)
    {
        if (firstStage.Count != crossEncoder.Count)
            throw new ArgumentException($"{firstStage.Count} first-stage scores but {crossEncoder.Count} cross-encoder scores");
        var z1 = ZScores(firstStage);
        var z2 = ZScores(crossEncoder);
        var fused = new double[z1.Length];
        for (var i = 0; i < fused.Length; i++)
            fused[i] = Alpha * z1[i] + (1 - Alpha) * z2[i];
        return fused;
    }

    /// <summary>Standard scores with the population standard deviation; all zero when the scores are all equal.</summary>
    public static double[] ZScores(IReadOnlyList<double> scores)
    {
        if (scores.Count == 0)
            return [];
        var mean = scores.Average();
        var variance = scores.Sum(s => (s - mean) * (s - mean)) / scores.Count;
        var std = Math.Sqrt(variance);
        return scores.Select(s => std > 0 ? (s - mean) / std : 0.0).ToArray();
    }

    public override string ToString() => $"zfusion(alpha={Alpha:0.###})";
}
