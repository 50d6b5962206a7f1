using Lucene.Net.Search;

namespace SearchRerank.Rerank;

/// <summary>
/// A hit of <see cref="CrossEncoderRescorer.Rescore"/>: Lucene's <see cref="ScoreDoc"/> with the final score, plus
/// both stage scores it was made from, so that a ranking can be explained or fused again.
/// </summary>
public sealed class RescoredDoc(int doc, float score, int shardIndex, float firstStageScore, float crossEncoderScore)
    : ScoreDoc(doc, score, shardIndex)
{
    public float FirstStageScore { get; } = firstStageScore;

    public float CrossEncoderScore { get; } = crossEncoderScore;
}
