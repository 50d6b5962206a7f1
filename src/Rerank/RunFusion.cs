using SearchRerank.Core;

namespace SearchRerank.Rerank;

/// <summary>
/// Fuses a first-stage run with a cross-encoder run of the same candidates after the fact (z-score interpolation, see
/// <see cref="ScoreFusion"/>): one cross-encoder run, scored once, can then be fused at any α — a sweep over α costs
/// no model time. The candidates are each query's first-stage top <c>depth</c>; every one of them needs a score in the
/// cross-encoder run. Both stages are taken at single precision, as <see cref="CrossEncoderRescorer"/> holds them, so
/// the result equals <c>rerank</c>'s fused run of the same model, depth and α score for score.
/// </summary>
public static class RunFusion
{
    public static Run Fuse(Run firstStage, Run crossEncoder, ScoreFusion fusion, int depth)
    {
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(crossEncoder);
        ArgumentNullException.ThrowIfNull(fusion);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);

        var fused = new Run($"{firstStage.Name}+{crossEncoder.Name}+{fusion}");
        foreach (var queryId in firstStage.QueryIds)
        {
            var candidates = firstStage.Ranked(queryId).Take(depth).ToArray();
            var logits = crossEncoder.Ranked(queryId).ToDictionary(e => e.DocId, e => e.Score, StringComparer.Ordinal);
            if (logits.Count == 0)
                throw new InvalidDataException($"{crossEncoder.Name}: no scores for query '{queryId}' of {firstStage.Name}");
            var second = candidates.Select(c => logits.TryGetValue(c.DocId, out var s)
                ? (double)(float)s
                : throw new InvalidDataException($"{crossEncoder.Name}: query '{queryId}' has no score for document '{c.DocId}' of {firstStage.Name}'s top {depth}")).ToArray();
            var scores = fusion.Combine(candidates.Select(c => (double)(float)c.Score).ToArray(), second);
            for (var i = 0; i < candidates.Length; i++)
                fused.Add(queryId, candidates[i].DocId, (float)scores[i]);
        }
        return fused;
    }
}
