using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SearchRerank.Search.Analysis;
using SearchRerank.Search.Index;
using SearchRerank.Search.Scoring;
using SearchRerank.Core;

namespace SearchRerank.Search;

/// <summary>
/// Ranks the documents of an index for free-text queries. The query goes through the analyzer stored in the index;
/// BM25 is computed from FTS5's postings (fts5vocab 'instance') and the document lengths kept beside them, because
/// FTS5's own bm25() fixes k1 = 1.2, b = 0.75 and Microsoft.Data.Sqlite cannot register ranking functions.
/// User text never reaches FTS5 query syntax: terms are looked up as bound parameters.
/// <para>
/// Ranking order: score descending, ties broken by document id descending (ordinal), the order trec_eval and
/// <see cref="Run.Ranked"/> use, so truncating to k and writing a run agree.
/// </para>
/// Thread-safe: each call borrows its own connection and reads one WAL snapshot, so searches run in parallel and
/// alongside an <see cref="IndexWriter"/> in another process, seeing each committed batch whole.
/// Dispose closes the connections.
/// </summary>
public sealed class Searcher : IDisposable
{
    private readonly string directory;
    private readonly ConcurrentBag<ReadSession> sessions = new();
    private readonly object snapshotGate = new();
    private volatile Snapshot? snapshot;
    private readonly Bm25Similarity similarity;
    private bool disposed;

    private Searcher(string directory, IndexMetadata metadata, SearchOptions options, ReadSession first)
    {
        this.directory = directory;
        Metadata = metadata;
        Options = options;
        Analyzer = Analyzer.ForName(metadata.Analyzer);
        similarity = new Bm25Similarity(options.K1 ?? metadata.K1, options.B ?? metadata.B);
        sessions.Add(first);
    }

    public IndexMetadata Metadata { get; }

    public SearchOptions Options { get; }

    /// <summary>The analyzer the index was built with; queries go through it too.</summary>
    public Analyzer Analyzer { get; }

    /// <summary>The BM25 parameters in effect (ignored by <see cref="RankingFunction.Fts5Bm25"/>).</summary>
    public ISimilarity Similarity => similarity;

    /// <summary>Opens the index in <paramref name="indexDirectory"/> read-only.</summary>
    public static Searcher Open(string indexDirectory, SearchOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexDirectory);
        options ??= new SearchOptions();
        if (!double.IsFinite(options.TitleWeight) || options.TitleWeight < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"title weight must be finite and non-negative, got {options.TitleWeight}");
        if (!File.Exists(IndexSchema.DatabasePath(indexDirectory)))
            throw new SearchException($"no index in {indexDirectory} (missing {IndexSchema.DatabaseFile}); build one with 'searchrerank index'");
        var session = new ReadSession(indexDirectory);
        try
        {
            var metadata = IndexSchema.ReadMetadata(session.Connection, indexDirectory);
            return new Searcher(indexDirectory, metadata, options, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Number of documents in the latest committed state of the index.</summary>
    public long DocumentCount => WithSnapshot((_, current) => current.DocumentCount);

    /// <summary>The run tag of this ranking, e.g. <c>BM25(k1=0.9,b=0.4)</c>; non-default title weight and length rounding are appended.</summary>
    public override string ToString()
    {
        var extras = new List<string>();
        if (Options.TitleWeight != 1)
            extras.Add(string.Create(CultureInfo.InvariantCulture, $"title={Options.TitleWeight}"));
        if (Options.Ranking == RankingFunction.Fts5Bm25)
            return extras.Count == 0 ? "FTS5-bm25" : $"FTS5-bm25({string.Join(',', extras)})";
        if (Options.LuceneLengths)
            extras.Add("lengths=lucene");
        var name = similarity.ToString();
        return extras.Count == 0 ? name : $"{name[..^1]},{string.Join(',', extras)})";
    }

    /// <summary>
    /// The best <paramref name="k"/> documents for <paramref name="query"/>, best first. Empty when the query has
    /// no terms after analysis (empty, punctuation only, or only stopwords) or when k ≤ 0.
    /// </summary>
    public IReadOnlyList<Hit> Search(string query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (k <= 0)
            return [];
        var terms = Analyzer.Analyze(query);
        if (terms.Count == 0)
            return [];
        return WithSnapshot((session, current) =>
        {
            var ranked = Options.Ranking == RankingFunction.Fts5Bm25
                ? RankWithFts5(session, current, terms, k)
                : RankWithBm25(session, current, terms, k);
            var hits = new Hit[ranked.Count];
            for (var i = 0; i < ranked.Count; i++)
            {
                var (rowId, score) = ranked[i];
                var (title, text) = Options.IncludeContent ? session.ReadContent(rowId) : (string.Empty, string.Empty);
                hits[i] = new Hit(current.Ids[rowId]!, score, title, text);
            }
            return (IReadOnlyList<Hit>)hits;
        });
    }

    /// <summary>
    /// How <see cref="RankingFunction.Bm25"/> scores document <paramref name="docId"/> for <paramref name="query"/>:
    /// a sum over query terms of idf and tf factors with their inputs. Null when the document is not in the index.
    /// </summary>
    public Explanation? Explain(string query, string docId)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(docId);
        var terms = Analyzer.Analyze(query);
        return WithSnapshot((session, current) =>
        {
            var rowId = Array.IndexOf(current.Ids, docId);
            if (rowId < 0)
                return null;
            var titleWeight = Options.TitleWeight;
            var averageLength = current.DocumentCount > 0
                ? (titleWeight * current.TitleLengthSum + current.TextLengthSum) / current.DocumentCount
                : 0;
            var length = titleWeight * current.TitleLengths[rowId] + current.TextLengths[rowId];
            if (Options.LuceneLengths)
                length = LuceneLengthEncoding.Quantize((int)Math.Round(length));
            var parts = new List<Explanation>();
            var postings = new List<(long RowId, double Tf)>();
            foreach (var group in terms.GroupBy(term => term, StringComparer.Ordinal))
            {
                postings.Clear();
                session.ReadPostings(group.Key, titleWeight, postings);
                var tf = postings.FirstOrDefault(p => p.RowId == rowId).Tf;
                if (tf == 0)
                    continue;
                var idf = similarity.Idf(postings.Count, current.DocumentCount);
                var tfFactor = similarity.TermFrequencyFactor(tf, length, averageLength);
                var queryCount = group.Count();
                parts.Add(new Explanation(queryCount * idf * tfFactor, $"weight of '{group.Key}': queryCount · idf · tfFactor",
                [
                    new Explanation(queryCount, "queryCount, occurrences of the term in the query"),
                    new Explanation(idf, "idf = ln(1 + (N − df + 0.5) / (df + 0.5))",
                        [new Explanation(postings.Count, "df"), new Explanation(current.DocumentCount, "N")]),
                    new Explanation(tfFactor, $"tfFactor = tf · (k1 + 1) / (tf + k1 · (1 − b + b · dl / avgdl)), k1 = {similarity.K1.ToString(CultureInfo.InvariantCulture)}, b = {similarity.B.ToString(CultureInfo.InvariantCulture)}",
                    [
                        new Explanation(tf, $"tf (title occurrences × {titleWeight.ToString(CultureInfo.InvariantCulture)} + text occurrences)"),
                        new Explanation(length, "dl" + (Options.LuceneLengths ? ", rounded like Lucene's norms" : "")),
                        new Explanation(averageLength, "avgdl"),
                    ]),
                ]));
            }
            return new Explanation(parts.Sum(p => p.Value), $"{this}: sum of term weights for document '{docId}'", parts);
        });
    }

    /// <summary>The stored document with id <paramref name="id"/>, or null.</summary>
    public Document? GetDocument(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return WithSession(session => session.ReadDocument(id));
    }

    /// <summary>
    /// Every stored document in index (rowid) order, streamed from one read snapshot on a connection of its own,
    /// for whole-corpus passes such as pre-tokenization. Dispose the enumerator (foreach does) to release it.
    /// </summary>
    public IEnumerable<Document> Documents()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var connection = IndexSchema.Open(directory, readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, title, text FROM docs ORDER BY rowid";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            yield return new Document(reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    /// <summary>
    /// Searches every query, spread over all cores, and collects the top <paramref name="k"/> of each into a run
    /// named after this ranking. Queries keep their input order in the run; queries without terms get no results.
    /// <paramref name="maxParallelism"/> ≤ 0 means one worker per core.
    /// </summary>
    public Run SearchAll(IEnumerable<Query> queries, int k, IProgress<SearchProgress>? progress = null,
        int maxParallelism = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var list = queries.ToList();
        var results = new IReadOnlyList<Hit>[list.Count];
        var completed = 0;
        Parallel.For(0, list.Count,
            new ParallelOptions
            {
                CancellationToken = cancellationToken,
                MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount,
            },
            i =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                results[i] = Search(list[i].Text, k);
                var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                progress?.Report(new SearchProgress(Interlocked.Increment(ref completed), list.Count, latency));
            });
        var run = new Run(ToString());
        for (var i = 0; i < list.Count; i++)
            foreach (var hit in results[i])
                run.Add(list[i].Id, hit.DocId, hit.Score);
        return run;
    }

    /// <summary>Size, lengths and vocabulary of the index as committed now.</summary>
    public IndexStatistics GetStatistics() => WithSnapshot((session, current) =>
    {
        var size = new DirectoryInfo(directory).EnumerateFiles().Sum(file => file.Length);
        return new IndexStatistics(directory, Metadata, current.DocumentCount,
            current.DocumentCount > 0 ? (double)current.TitleLengthSum / current.DocumentCount : 0,
            current.DocumentCount > 0 ? (double)current.TextLengthSum / current.DocumentCount : 0,
            session.VocabularySize(), size, current.Generation);
    });

    private List<(long RowId, double Score)> RankWithBm25(ReadSession session, Snapshot current, List<string> terms, int k)
    {
        var titleWeight = Options.TitleWeight;
        var averageLength = current.DocumentCount > 0
            ? (titleWeight * current.TitleLengthSum + current.TextLengthSum) / current.DocumentCount
            : 0;
        // Term-at-a-time into a dense per-session array indexed by rowid; every BM25 contribution is > 0, so a zero
        // slot means "not touched yet" and only touched slots need resetting afterwards.
        var scores = session.Accumulator(current.Ids.Length);
        var touched = session.Touched;
        var postings = session.Postings;
        foreach (var group in terms.GroupBy(term => term, StringComparer.Ordinal))
        {
            // A term repeated in the query counts that many times, like Anserini's bag-of-words query.
            var queryCount = group.Count();
            postings.Clear();
            session.ReadPostings(group.Key, titleWeight, postings);
            if (postings.Count == 0)
                continue;
            var weight = queryCount * similarity.Idf(postings.Count, current.DocumentCount);
            foreach (var (rowId, tf) in postings)
            {
                var length = titleWeight * current.TitleLengths[rowId] + current.TextLengths[rowId];
                if (Options.LuceneLengths)
                    length = LuceneLengthEncoding.Quantize((int)Math.Round(length));
                if (scores[rowId] == 0)
                    touched.Add(rowId);
                scores[rowId] += weight * similarity.TermFrequencyFactor(tf, length, averageLength);
            }
        }
        try
        {
            return TopK(touched.Select(rowId => (rowId, scores[rowId])), current, k);
        }
        finally
        {
            foreach (var rowId in touched)
                scores[rowId] = 0;
            touched.Clear();
        }
    }

    private List<(long RowId, double Score)> RankWithFts5(ReadSession session, Snapshot current, List<string> terms, int k)
    {
        var match = Fts5Query.AnyOf(terms.Distinct(StringComparer.Ordinal));
        if (match.Length == 0)
            return [];
        return TopK(session.RankWithFts5(match, Options.TitleWeight), current, k);
    }

    /// <summary>The k best by score descending, then document id descending; a bounded heap keeps it O(n log k).</summary>
    private static List<(long RowId, double Score)> TopK(IEnumerable<(long RowId, double Score)> candidates, Snapshot current, int k)
    {
        var comparer = Comparer<(double Score, string Id)>.Create((x, y) =>
        {
            var byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(x.Id, y.Id);
        });
        // Min-heap on (score, id): the root is the worst of the kept hits.
        // k may be huge ("everything"); let the heap grow instead of reserving k slots up front.
        var heap = new PriorityQueue<long, (double Score, string Id)>(Math.Min(k, 4096), comparer);
        foreach (var (rowId, score) in candidates)
        {
            var key = (score, current.Ids[rowId]!);
            if (heap.Count < k)
                heap.Enqueue(rowId, key);
            else if (heap.TryPeek(out _, out var worst) && comparer.Compare(key, worst) > 0)
                heap.EnqueueDequeue(rowId, key);
        }
        var result = new List<(long RowId, double Score)>(heap.Count);
        while (heap.TryDequeue(out var rowId, out var key))
            result.Add((rowId, key.Score));
        result.Reverse();
        return result;
    }

    private T WithSession<T>(Func<ReadSession, T> work)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!sessions.TryTake(out var session))
            session = new ReadSession(directory);
        try
        {
            return work(session);
        }
        finally
        {
            sessions.Add(session);
        }
    }

    /// <summary>Runs <paramref name="work"/> inside one read transaction, with document lengths matching that snapshot.</summary>
    private T WithSnapshot<T>(Func<ReadSession, Snapshot, T> work) => WithSession(session =>
    {
        session.Begin();
        try
        {
            var stats = session.ReadStats();
            var current = snapshot;
            if (current is null || current.Generation != stats.Generation)
            {
                lock (snapshotGate)
                {
                    current = snapshot;
                    if (current is null || current.Generation != stats.Generation)
                    {
                        current = session.LoadSnapshot(stats);
                        // Never step back: another thread may have loaded a newer generation meanwhile.
                        if (snapshot is null || snapshot.Generation < current.Generation)
                            snapshot = current;
                    }
                }
            }
            return work(session, current);
        }
        finally
        {
            session.End();
        }
    });

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        while (sessions.TryTake(out var session))
            session.Dispose();
    }

    private sealed record Stats(long DocumentCount, long TitleLengthSum, long TextLengthSum, long Generation);

    /// <summary>Per-generation in-memory copy of what scoring needs per document: external id and field lengths, indexed by rowid.</summary>
    private sealed record Snapshot(long DocumentCount, long TitleLengthSum, long TextLengthSum, long Generation,
        string?[] Ids, int[] TitleLengths, int[] TextLengths);

    /// <summary>One read-only connection with its prepared statements; used by one thread at a time.</summary>
    private sealed class ReadSession : IDisposable
    {
        private readonly SqliteCommand begin, commit, stats, postingsCommand, content, document;

        public ReadSession(string directory)
        {
            Connection = IndexSchema.Open(directory, readOnly: true);
            begin = Prepare("BEGIN");
            commit = Prepare("COMMIT");
            stats = Prepare("SELECT doc_count, title_length_sum, text_length_sum, generation FROM stats WHERE id = 1");
            // Rows come grouped by document (then column, offset), so a document's occurrences are adjacent.
            // Compare the column name in SQL: fetching it as a .NET string would allocate once per occurrence.
            postingsCommand = Prepare("SELECT doc, col = 'title' FROM terms_instance WHERE term = $term", "$term");
            content = Prepare("SELECT title, text FROM docs WHERE rowid = $rowid", "$rowid");
            document = Prepare("SELECT title, text FROM docs WHERE id = $id", "$id");
        }

        public SqliteConnection Connection { get; }

        /// <summary>Scratch of <see cref="RankWithBm25"/>: all zero between calls.</summary>
        private double[] accumulator = [];

        public List<long> Touched { get; } = new();

        public List<(long RowId, double Tf)> Postings { get; } = new();

        public double[] Accumulator(int size)
        {
            if (accumulator.Length < size)
                accumulator = new double[size];
            return accumulator;
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
                command.Parameters.Add(new SqliteParameter(name, null));
            return command;
        }

        public void Begin() => begin.ExecuteNonQuery();

        public void End() => commit.ExecuteNonQuery();

        public Stats ReadStats()
        {
            using var reader = stats.ExecuteReader();
            if (!reader.Read())
                throw new SearchException("index statistics row is missing; the index is damaged");
            return new Stats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }

        public Snapshot LoadSnapshot(Stats current)
        {
            long maxRowId;
            using (var command = Connection.CreateCommand())
            {
                command.CommandText = "SELECT coalesce(max(rowid), 0) FROM docs";
                maxRowId = (long)command.ExecuteScalar()!;
            }
            var ids = new string?[maxRowId + 1];
            var titleLengths = new int[maxRowId + 1];
            var textLengths = new int[maxRowId + 1];
            using (var command = Connection.CreateCommand())
            {
                command.CommandText = "SELECT rowid, id, title_length, text_length FROM docs";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var rowId = reader.GetInt64(0);
                    ids[rowId] = reader.GetString(1);
                    titleLengths[rowId] = reader.GetInt32(2);
                    textLengths[rowId] = reader.GetInt32(3);
                }
            }
            return new Snapshot(current.DocumentCount, current.TitleLengthSum, current.TextLengthSum, current.Generation,
                ids, titleLengths, textLengths);
        }

        /// <summary>Appends (rowid, weighted tf) for every document containing <paramref name="term"/>; column 0 is the title.</summary>
        public void ReadPostings(string term, double titleWeight, List<(long RowId, double Tf)> into)
        {
            postingsCommand.Parameters["$term"].Value = term;
            using var reader = postingsCommand.ExecuteReader();
            long currentDoc = -1;
            double tf = 0;
            while (reader.Read())
            {
                var doc = reader.GetInt64(0);
                if (doc != currentDoc)
                {
                    if (currentDoc >= 0)
                        into.Add((currentDoc, tf));
                    currentDoc = doc;
                    tf = 0;
                }
                tf += reader.GetInt64(1) != 0 ? titleWeight : 1;
            }
            if (currentDoc >= 0)
                into.Add((currentDoc, tf));
        }

        public List<(long RowId, double Score)> RankWithFts5(string match, double titleWeight)
        {
            using var command = Connection.CreateCommand();
            // bm25() returns lower-is-better; negate so larger is better like our own scores.
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"SELECT rowid, -bm25(terms, {titleWeight:R}, 1.0) FROM terms WHERE terms MATCH $match");
            command.Parameters.AddWithValue("$match", match);
            using var reader = command.ExecuteReader();
            var result = new List<(long, double)>();
            while (reader.Read())
                result.Add((reader.GetInt64(0), reader.GetDouble(1)));
            return result;
        }

        public (string Title, string Text) ReadContent(long rowId)
        {
            content.Parameters["$rowid"].Value = rowId;
            using var reader = content.ExecuteReader();
            if (!reader.Read())
                throw new SearchException($"document row {rowId} vanished from the index snapshot; the index is damaged");
            return (reader.GetString(0), reader.GetString(1));
        }

        public Document? ReadDocument(string id)
        {
            document.Parameters["$id"].Value = id;
            using var reader = document.ExecuteReader();
            return reader.Read() ? new Document(id, reader.GetString(0), reader.GetString(1)) : null;
        }

        public long VocabularySize()
        {
            using var command = Connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM terms_row";
            return (long)command.ExecuteScalar()!;
        }

        public void Dispose()
        {
            foreach (var command in new[] { begin, commit, stats, postingsCommand, content, document })
                command.Dispose();
            Connection.Dispose();
        }
    }
}
