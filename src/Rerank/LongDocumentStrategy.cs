namespace SearchRerank.Rerank;

/// <summary>What the cross-encoder does with a pair longer than the maximum length.</summary>
public enum LongDocumentStrategy
{
    /// <summary>Cut the pair to the maximum length (longest-first, as Hugging Face tokenizers do) and score it once.</summary>
    Truncate,

    /// <summary>
    /// Score overlapping windows of the document, each paired with the full query, and keep the best window's score
    /// (MaxP: Dai and Callan, "Deeper Text Understanding for IR with Contextual Neural Language Modeling", SIGIR 2019).
    /// </summary>
    MaxWindow,
}
