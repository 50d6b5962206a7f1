using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SearchRerank.Core;
using SearchRerank.Search.Analysis;
using SearchRerank.Search.Index;
using LuceneAnalyzer = Lucene.Net.Analysis.Analyzer;

namespace SearchRerank.Search;

/// <summary>
/// Ranks the documents of an index for queries. Queries are analysed with the analyzer recorded in the index
/// (<see cref="QuerySyntax.FreeText"/>: <see cref="FreeTextQuery"/>; or Lucene's QueryParser) and scored by
/// <see cref="Similarity"/>: BM25 with the index's k1 and b unless <see cref="SearchOptions"/> says otherwise.
/// Hits come in trec_eval order (<see cref="SearchSnapshot"/>).
/// <para>
/// Thread-safe. Readers see whole commits only: each call first looks for a newer commit
/// (<c>SearcherManager.MaybeRefresh</c>, which reopens only the changed segments) and then works on one acquired
/// commit, so it runs alongside an <see cref="Index.Indexer"/> in this or another process. Dispose closes the index.
/// </para>
/// </summary>
public sealed class Searcher : IDisposable
{
    private readonly FSDirectory directory;
    private readonly SearcherManager manager;
    private volatile HeldCommit? held;
    private bool disposed;

    private Searcher(string path, FSDirectory directory, SearcherManager manager, IndexMetadata metadata, SearchOptions options,
        LuceneAnalyzer analyzer, Similarity similarity)
    {
        Path = path;
        this.directory = directory;
        this.manager = manager;
        Metadata = metadata;
        Options = options;
        Analyzer = analyzer;
        Similarity = similarity;
    }

    /// <summary>The index folder.</summary>
    public string Path { get; }

    public IndexMetadata Metadata { get; }

    public SearchOptions Options { get; }

    /// <summary>The analyzer the index was built with; queries go through it too.</summary>
    public LuceneAnalyzer Analyzer { get; }

    /// <summary>The scoring strategy in effect.</summary>
    public Similarity Similarity { get; }

    /// <summary>Opens the index in <paramref name="indexDirectory"/> read-only.</summary>
    /// <exception cref="SearchException">No SearchRerank index there (the message says what the folder holds), or an analyzer mismatch.</exception>
    public static Searcher Open(string indexDirectory, SearchOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexDirectory);
        options ??= new SearchOptions();
        if (options.Similarity is not null && (options.K1 is not null || options.B is not null))
            throw new ArgumentException("K1 and B set the BM25 similarity; they cannot be combined with another Similarity", nameof(options));
        Bm25Parameters.Check(options.K1, options.B, nameof(options));
        var requested = options.Analyzer is null ? null : Analyzers.Canonical(options.Analyzer);

        var (directory, data) = IndexFolder.OpenExisting(indexDirectory);
        LuceneAnalyzer? analyzer = null;
        try
        {
            var metadata = CommitData.ReadMetadata(data, indexDirectory);
            if (requested is not null && requested != metadata.Analyzer)
                throw new SearchException($"index {indexDirectory} was built with analyzer '{metadata.Analyzer}', not '{requested}': "
                                          + "queries must be analysed as the documents were; rebuild the index to change it");
            analyzer = Analyzers.Create(metadata.Analyzer);
            var similarity = options.Similarity ?? new BM25Similarity((float)(options.K1 ?? metadata.K1), (float)(options.B ?? metadata.B));
            var manager = IndexDamage.Guard(indexDirectory, "opening the last commit", () => new SearcherManager(directory, new SimilaritySearcherFactory(similarity)));
            return new Searcher(indexDirectory, directory, manager, metadata, options, analyzer, similarity);
        }
        catch
        {
            analyzer?.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Live documents in the latest commit.</summary>
    public long DocumentCount
    {
        get
        {
            using var snapshot = Acquire();
            return snapshot.DocumentCount;
        }
    }

    /// <summary>The run tag of this ranking, e.g. <c>BM25(k1=0.9,b=0.4)</c>.</summary>
    public override string ToString() => Similarity.ToString()!;

    /// <summary>
    /// The latest commit, held until the snapshot is disposed: for a search, a re-ranking and the reading of its
    /// hits on the same document numbers.
    /// </summary>
    internal SearchSnapshot Acquire()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        // A directory listing tells whether a newer commit exists; only then is segments_N read and the reader reopened.
        if (SegmentInfos.GetLastCommitGeneration(directory) != held?.Generation)
            manager.MaybeRefresh();
        var searcher = manager.Acquire();
        if (held?.Searcher != searcher)
            held = new HeldCommit(searcher, ((DirectoryReader)searcher.IndexReader).IndexCommit.Generation);
        return new SearchSnapshot(manager, searcher, Path);
    }

    /// <summary>Characters of a query quoted in a syntax error, and of the whole reason.</summary>
    private const int QuotedQueryLength = 80, MaxReasonLength = 300;

    /// <summary>Deepest parenthesis nesting a Lucene-syntax query may have.</summary>
    public const int MaxNesting = 100;

    /// <summary>How deep the parentheses of <paramref name="text"/> nest outside quoted phrases and backslash escapes.</summary>
    private static int NestingDepth(string text)
    {
        int depth = 0, deepest = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case ')' when !quoted && depth > 0:
                    depth--;
                    break;
            }
        }
        return deepest;
    }

    /// <summary>
    /// The Lucene query for <paramref name="text"/> under <see cref="SearchOptions.Syntax"/>; null when it has no
    /// terms after analysis (empty, punctuation only, or only stopwords), which matches nothing.
    /// </summary>
    /// <exception cref="QueryException">With <see cref="QuerySyntax.Lucene"/>: the text is not a valid query (one-line message).</exception>
    public Query? ParseQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Options.Syntax == QuerySyntax.FreeText)
            return FreeTextQuery.Build(Analyzer, text);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        // Lucene's parser recurses once per open parenthesis; a few tens of thousands overflow the stack, which no
        // handler can catch, so deep nesting is refused before it is parsed.
        if (NestingDepth(text) is var depth and > MaxNesting)
            throw new QueryException($"query syntax: parentheses nest {depth} levels deep; at most {MaxNesting} are accepted");
        Query query;
        try
        {
            query = new QueryParser(LuceneVersion.LUCENE_48, IndexSchema.Contents, Analyzer).Parse(text);
        }
        catch (ParseException ex)
        {
            // The first line says what and where; the rest lists every token the grammar would have accepted. Lucene
            // quotes the whole query in it, and the lexeme it stopped at, which for a long query would bury the reason.
            var reason = ex.Message.Split('\n', 2)[0].Trim().Replace($"'{text}'", $"'{TextPreview.Shorten(text, QuotedQueryLength)}'", StringComparison.Ordinal);
            throw new QueryException($"query syntax: {TextPreview.Shorten(reason, MaxReasonLength)}", ex);
        }
        return query is BooleanQuery { Clauses.Count: 0 } ? null : query;
    }

    /// <summary>
    /// The best <paramref name="k"/> documents for <paramref name="query"/>, best first, with their stored title and
    /// text unless <see cref="SearchOptions.IncludeContent"/> is off. Empty when the query has no terms after analysis.
    /// </summary>
    public IReadOnlyList<Hit> Search(string query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var parsed = ParseQuery(query);
        if (parsed is null)
            return [];
        using var snapshot = Acquire();
        return snapshot.ToHits(snapshot.Search(parsed, k), Options.IncludeContent);
    }

    /// <summary>Lucene's explanation of how document <paramref name="docId"/> scores for <paramref name="query"/>; null when the document is not in the index.</summary>
    public Explanation? Explain(string query, string docId)
    {
        ArgumentNullException.ThrowIfNull(docId);
        var parsed = ParseQuery(query);
        using var snapshot = Acquire();
        var doc = snapshot.Find(docId);
        if (doc < 0)
            return null;
        return parsed is null ? new Explanation(0, "no query terms after analysis: nothing matches") : snapshot.Explain(parsed, doc);
    }

    /// <summary>The stored document with id <paramref name="id"/>, or null.</summary>
    public CorpusDocument? GetDocument(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var snapshot = Acquire();
        var doc = snapshot.Find(id);
        return doc < 0 ? null : snapshot.Load(doc);
    }

    /// <summary>
    /// Every live document in index order (Lucene document numbers: a replaced document comes after the others),
    /// streamed from one commit, for whole-corpus passes. Dispose the enumerator (foreach does) to release the commit.
    /// </summary>
    public IEnumerable<CorpusDocument> Documents()
    {
        using var snapshot = Acquire();
        foreach (var leaf in snapshot.IndexSearcher.IndexReader.Leaves)
        {
            var reader = leaf.AtomicReader;
            var live = reader.LiveDocs;
            for (var doc = 0; doc < reader.MaxDoc; doc++)
            {
                if (live is null || live.Get(doc))
                    yield return StoredDocuments.Read(reader, doc, Path);
            }
        }
    }

    /// <summary>
    /// Workers of a batch search unless told: one per core but one, at least one. The spare core is for what runs
    /// beside the workers (tiered JIT, GC, progress and the run writer): on 2 cores, 1,109 SciFact queries at top 1000
    /// ran at 493–524 queries/s with one worker against 456–479 with two (docs/benchmarks.md).
    /// </summary>
    public static int DefaultParallelism => Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Searches every query against one commit, spread over <see cref="DefaultParallelism"/> workers unless
    /// <paramref name="maxParallelism"/> is positive, and collects the top <paramref name="k"/> of each into a run
    /// named after this ranking (ids and scores only). Queries keep their input order in the run; queries without
    /// terms get no results.
    /// </summary>
    public Run SearchAll(IEnumerable<Core.Topic> queries, int k, IProgress<SearchProgress>? progress = null,
        int maxParallelism = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var list = queries.ToList();
        var results = new IReadOnlyList<Hit>[list.Count];
        var completed = 0;
        using (var snapshot = Acquire())
        {
            Parallel.For(0, list.Count,
                new ParallelOptions
                {
                    CancellationToken = cancellationToken,
                    MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : DefaultParallelism,
                },
                i =>
                {
                    var started = Stopwatch.GetTimestamp();
                    var parsed = ParseQuery(list[i].Text);
                    results[i] = parsed is null ? [] : snapshot.ToHits(snapshot.Search(parsed, k), includeContent: false);
                    progress?.Report(new SearchProgress(Interlocked.Increment(ref completed), list.Count, Stopwatch.GetElapsedTime(started)));
                });
        }
        var run = new Run(ToString());
        for (var i = 0; i < list.Count; i++)
            foreach (var hit in results[i])
                run.Add(list[i].Id, hit.DocId, hit.Score);
        return run;
    }

    /// <summary>Size, segments and vocabulary of the latest commit.</summary>
    internal IndexStatistics GetStatistics()
    {
        using var snapshot = Acquire();
        var reader = (DirectoryReader)snapshot.IndexSearcher.IndexReader;
        return new IndexStatistics(Path, Metadata, reader.NumDocs, reader.NumDeletedDocs, CountTerms(reader), reader.Leaves.Count,
            SizeOnDisk(reader.IndexCommit), reader.IndexCommit.Generation);
    }

    /// <summary>
    /// The bytes of the commit's files. A writer in another process may delete them once it has committed again (this
    /// reader keeps reading its open files); one that is gone counts for nothing rather than failing the statistics.
    /// </summary>
    private long SizeOnDisk(IndexCommit commit)
    {
        long size = 0;
        foreach (var file in commit.FileNames)
        {
            try
            {
                size += directory.FileLength(file);
            }
            catch (FileNotFoundException)
            {
            }
        }
        return size;
    }

    private static long CountTerms(IndexReader reader)
    {
        var terms = MultiFields.GetTerms(reader, IndexSchema.Contents);
        if (terms is null)
            return 0;
        if (terms.Count >= 0)
            return terms.Count;
        long count = 0;
        var iterator = terms.GetEnumerator();
        while (iterator.MoveNext())
            count++;
        return count;
    }

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        manager.Dispose();
        Analyzer.Dispose();
        directory.Dispose();
    }

    /// <summary>The searcher the manager handed out last and the generation of its commit.</summary>
    private sealed record HeldCommit(IndexSearcher Searcher, long Generation);

    /// <summary>Gives every searcher the manager opens this searcher's similarity.</summary>
    private sealed class SimilaritySearcherFactory(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }
}
