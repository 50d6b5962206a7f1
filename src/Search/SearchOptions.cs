namespace SearchRerank.Search;

/// <summary>
/// How a <see cref="Searcher"/> ranks. Null <see cref="K1"/>/<see cref="B"/> take the defaults stored in the index
/// (0.9/0.4 unless chosen at index time). <see cref="TitleWeight"/> counts each title occurrence w times in tf and dl
/// (a one-parameter BM25F); 1 equals scoring the single field title + " " + text, Anserini's "flat" setting.
/// <see cref="IncludeContent"/> false leaves <see cref="Hit.Title"/>/<see cref="Hit.Text"/> empty, which saves
/// reading k stored documents when only ids and scores are needed (run files).
/// </summary>
public sealed record SearchOptions
{
    public double? K1 { get; init; }
    public double? B { get; init; }
    public double TitleWeight { get; init; } = 1.0;
    public RankingFunction Ranking { get; init; } = RankingFunction.Bm25;
    public bool IncludeContent { get; init; } = true;

    /// <summary>Round document lengths as Lucene's one-byte norms do (see <see cref="Scoring.LuceneLengthEncoding"/>), to match Anserini exactly.</summary>
    public bool LuceneLengths { get; init; }
}
