namespace SearchRerank.Train.Recipes;

/// <summary>Where a stage's training groups come from.</summary>
public enum DataSource
{
    /// <summary>Training queries + qrels: 1 judged positive and N negatives from the query's BM25 top-depth.</summary>
    Qrels,

    /// <summary>A teacher's TREC run: the teacher's top-k list per training query, ordered by the teacher.</summary>
    Teacher,

    /// <summary>Weak supervision from the corpus: a document's title is the query, its text the positive, BM25(title) gives negatives.</summary>
    Weak,

    /// <summary>The index's own documents (stored title + text), as masked-LM sequences; no queries or judgments.</summary>
    Documents,
}
