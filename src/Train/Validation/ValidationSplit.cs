namespace SearchRerank.Train.Validation;

/// <summary>How <see cref="QuerySplit"/> draws the held-out validation queries (recipe field <c>validation_split</c>).</summary>
public enum ValidationSplit
{
    /// <summary>A seeded random sample of the judged queries.</summary>
    Random,

    /// <summary>
    /// A seeded random sample stratified by the document prior: queries that share a relevant document with another
    /// judged query and queries that do not are held out in their share of the pool. A from-scratch model recognises
    /// documents it saw as positives far better than it judges new ones, so a random draw of 80 queries that happens to
    /// over-sample shared positives overrates the model. Measured on SciFact it lowers the seed-to-seed variation of the
    /// split, not the scores: no gain over <see cref="Random"/> (docs/training.md, "What was tried").
    /// </summary>
    SharedPositiveStrata,
}
