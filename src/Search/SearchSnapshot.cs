using Lucene.Net.Index;
using Lucene.Net.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Search;

/// <summary>
/// One commit of the index, held open for a sequence of operations that must agree: search, then re-rank the
/// <see cref="TopDocs"/> with a Lucene <c>Rescorer</c> on <see cref="IndexSearcher"/>, then read ids and stored text of
/// the same document numbers. Obtained from <see cref="Searcher.Acquire"/>; Dispose releases it (until then the commit's
/// files stay open even if a writer merges them away). Thread-safe.
/// <para>
/// Ranking order: <see cref="TrecOrder"/>, so truncating to k and writing a run agree.
/// </para>
/// </summary>
internal sealed class SearchSnapshot : IDisposable
{
    private readonly SearcherManager manager;
    private int released;

    internal SearchSnapshot(SearcherManager manager, IndexSearcher searcher, string indexPath)
    {
        this.manager = manager;
        IndexSearcher = searcher;
        IndexPath = indexPath;
    }

    /// <summary>The index folder, for messages.</summary>
    public string IndexPath { get; }

    /// <summary>The Lucene searcher over this commit, with the <see cref="Searcher"/>'s similarity.</summary>
    public IndexSearcher IndexSearcher { get; }

    /// <summary>Live documents in this commit.</summary>
    public long DocumentCount => IndexSearcher.IndexReader.NumDocs;

    /// <summary>The commit's generation (one more per commit).</summary>
    public long Generation => ((DirectoryReader)IndexSearcher.IndexReader).IndexCommit.Generation;

    /// <summary>When the commit was made; null for a commit written before SearchRerank recorded the time.</summary>
    public DateTimeOffset? CommittedAt => CommitData.ReadCommitTime(((DirectoryReader)IndexSearcher.IndexReader).IndexCommit.UserData);

    /// <summary>The best <paramref name="k"/> documents for <paramref name="query"/> in trec_eval order, with their scores.</summary>
    public TopDocs Search(Query query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var n = (int)Math.Min(k, Math.Max(1, IndexSearcher.IndexReader.MaxDoc));
        try
        {
            return IndexDamage.Guard(IndexPath, "searching", () =>
            {
                var collector = new TrecOrderCollector(n, IdRanks.For(IndexSearcher.IndexReader));
                IndexSearcher.Search(query, collector);
                return collector.TopDocs();
            });
        }
        catch (BooleanQuery.TooManyClausesException ex)
        {
            throw new QueryException($"the query expands to more than {BooleanQuery.MaxClauseCount} terms: {ex.Message}", ex);
        }
    }

    /// <summary>The hits of <paramref name="top"/>: id, score, and the stored title and text when <paramref name="includeContent"/>.</summary>
    public IReadOnlyList<Hit> ToHits(TopDocs top, bool includeContent = true)
    {
        ArgumentNullException.ThrowIfNull(top);
        var hits = new Hit[top.ScoreDocs.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            var scoreDoc = top.ScoreDocs[i];
            if (includeContent)
            {
                var document = Load(scoreDoc.Doc);
                hits[i] = new Hit(document.Id, scoreDoc.Score, document.Title, document.Text);
            }
            else
            {
                hits[i] = new Hit(IdOf(scoreDoc.Doc), scoreDoc.Score, string.Empty, string.Empty);
            }
        }
        return hits;
    }

    /// <summary>The external id of Lucene document <paramref name="doc"/>.</summary>
    public string IdOf(int doc) => IndexDamage.Guard(IndexPath, $"reading the id of document {doc}", () => DocumentIds.Of(IndexSearcher.IndexReader, doc));

    /// <summary>The Lucene document number of the live document with <paramref name="id"/>, or -1.</summary>
    public int Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return DocumentIds.Find(IndexSearcher.IndexReader, id);
    }

    /// <summary>The stored document with Lucene number <paramref name="doc"/>.</summary>
    public Core.CorpusDocument Load(int doc) => StoredDocuments.Read(IndexSearcher.IndexReader, doc, IndexPath);

    /// <summary>Lucene's explanation of how <paramref name="doc"/> scores for <paramref name="query"/>.</summary>
    public Explanation Explain(Query query, int doc) => IndexSearcher.Explain(query, doc);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
            manager.Release(IndexSearcher);
    }
}
