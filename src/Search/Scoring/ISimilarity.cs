namespace SearchRerank.Search.Scoring;

/// <summary>
/// A term-weighting model, split into its two factors so each can be explained and tested on its own:
/// a document's score for a query is the sum over query terms of
/// <c>queryTermCount · Idf(df, N) · TermFrequencyFactor(tf, dl, avgdl)</c>.
/// <see cref="object.ToString"/> prints the model and its parameters (it becomes the run tag).
/// Implementations are immutable and thread-safe.
/// </summary>
public interface ISimilarity
{
    /// <summary>Weight of a term found in <paramref name="documentFrequency"/> of <paramref name="documentCount"/> documents.</summary>
    double Idf(long documentFrequency, long documentCount);

    /// <summary>Saturated, length-normalised weight of a term occurring <paramref name="termFrequency"/> times in a document of length <paramref name="documentLength"/>.</summary>
    double TermFrequencyFactor(double termFrequency, double documentLength, double averageDocumentLength);
}
