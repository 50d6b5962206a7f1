namespace SearchRerank.Train.Validation;

/// <summary>
/// Linear fusion of standardised scores: α·z(first stage) + (1 − α)·z(cross-encoder), z taken per query over the
/// re-ranked candidates. The scales of BM25 and logits differ per query, so raw scores cannot be mixed directly.
/// </summary>
public static class ZScoreFusion
{
    /// <summary>(x − mean)/population std; all zeros when every score is equal (nothing to tell them apart).</summary>
    public static double[] Standardize(IReadOnlyList<double> scores)
    {
        int n = scores.Count;
        var z = new double[n];
        if (n == 0)
            return z;
        double mean = scores.Average();
        double variance = scores.Sum(s => (s - mean) * (s - mean)) / n;
        double std = Math.Sqrt(variance);
        if (std == 0 || !double.IsFinite(std))
            return z;
        for (int i = 0; i < n; i++)
            z[i] = (scores[i] - mean) / std;
        return z;
    }

    public static double[] Fuse(double alpha, IReadOnlyList<double> firstStage, IReadOnlyList<double> model)
    {
        if (firstStage.Count != model.Count)
            throw new ArgumentException($"{firstStage.Count} first-stage scores but {model.Count} model scores");
        var a = Standardize(firstStage);
        var b = Standardize(model);
        var fused = new double[a.Length];
        for (int i = 0; i < fused.Length; i++)
            fused[i] = alpha * a[i] + (1 - alpha) * b[i];
        return fused;
    }
}
