using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SearchRerank.Search.Analysis;
using SearchRerank.Search.Scoring;
using SearchRerank.Core;

namespace SearchRerank.Search.Index;

/// <summary>
/// The single writer of an index directory: adds, replaces (same id) and deletes documents in batches, each batch
/// one SQLite transaction in WAL mode, so a crash or kill leaves every committed batch and nothing of the batch in
/// flight, and searchers keep reading a consistent snapshot meanwhile. Holds an exclusive lock file for its lifetime;
/// a second writer (any process) fails at once with "index X is being written by another process".
/// Not thread-safe: one caller at a time. Dispose to release the lock.
/// </summary>
public sealed class IndexWriter : IDisposable
{
    private readonly string directory;
    private readonly FileStream lockStream;
    private readonly SqliteConnection connection;
    private readonly int batchSize;

    private IndexWriter(string directory, FileStream lockStream, SqliteConnection connection, IndexMetadata metadata, int batchSize)
    {
        this.directory = directory;
        this.lockStream = lockStream;
        this.connection = connection;
        Metadata = metadata;
        Analyzer = Analysis.Analyzer.ForName(metadata.Analyzer);
        this.batchSize = batchSize;
    }

    public IndexMetadata Metadata { get; }

    public Analyzer Analyzer { get; }

    /// <summary>Opens the index in <paramref name="directory"/> for writing, creating directory and index when missing.</summary>
    public static IndexWriter Open(string directory, IndexWriterOptions? options = null)
    {
        options ??= new IndexWriterOptions();
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"batch size must be positive, got {options.BatchSize}");
        if (options.Analyzer is not null)
            Analysis.Analyzer.ForName(options.Analyzer); // validate before touching the disk
        if (options.K1 is not null || options.B is not null)
            _ = new Bm25Similarity(options.K1 ?? Bm25Similarity.DefaultK1, options.B ?? Bm25Similarity.DefaultB);

        System.IO.Directory.CreateDirectory(directory);
        var lockStream = AcquireLock(directory);
        SqliteConnection? connection = null;
        try
        {
            connection = IndexSchema.Open(directory, readOnly: false);
            IndexSchema.Execute(connection, "PRAGMA journal_mode = WAL");
            // FULL: a commit survives power loss too, not only a killed process; one fsync per batch is cheap.
            IndexSchema.Execute(connection, "PRAGMA synchronous = FULL");
            var metadata = CreateOrCheck(connection, directory, options);
            return new IndexWriter(directory, lockStream, connection, metadata, options.BatchSize);
        }
        catch
        {
            connection?.Dispose();
            lockStream.Dispose();
            throw;
        }
    }

    private static FileStream AcquireLock(string directory)
    {
        var path = Path.Combine(directory, IndexSchema.LockFile);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix; the OS drops it if the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new SearchException($"index {directory} is being written by another process", ex);
        }
    }

    private static IndexMetadata CreateOrCheck(SqliteConnection connection, string directory, IndexWriterOptions options)
    {
        bool exists;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'";
            exists = (long)command.ExecuteScalar()! > 0;
        }
        if (!exists)
        {
            var created = new IndexMetadata(
                Analysis.Analyzer.ForName(options.Analyzer ?? Analysis.Analyzer.Names[0]).Name,
                options.K1 ?? Bm25Similarity.DefaultK1,
                options.B ?? Bm25Similarity.DefaultB);
            using var transaction = connection.BeginTransaction();
            foreach (var sql in IndexSchema.CreateStatements)
                IndexSchema.Execute(connection, sql);
            IndexSchema.WriteMetadata(connection, created);
            transaction.Commit();
            return created;
        }

        var stored = IndexSchema.ReadMetadata(connection, directory);
        if (options.Analyzer is not null && !string.Equals(Analysis.Analyzer.ForName(options.Analyzer).Name, stored.Analyzer, StringComparison.Ordinal))
            throw new SearchException($"index {directory} was built with analyzer '{stored.Analyzer}', not '{options.Analyzer}'; use a new directory to change it");
        var updated = stored with { K1 = options.K1 ?? stored.K1, B = options.B ?? stored.B };
        if (updated != stored)
            IndexSchema.WriteMetadata(connection, updated);
        return updated;
    }

    /// <summary>
    /// Adds or replaces <paramref name="documents"/>, streaming them in batches; each batch is committed whole.
    /// An exception from the sequence (e.g. a <c>DataFormatException</c> from a corpus reader) or a cancellation
    /// abandons the current batch; batches committed before stay.
    /// </summary>
    public ImportSummary Write(IEnumerable<Document> documents, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var clock = Stopwatch.StartNew();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long added = 0, updated = 0, duplicates = 0;
        var batches = 0;
        var batch = new List<Document>(batchSize);
        using var enumerator = documents.GetEnumerator();
        while (true)
        {
            batch.Clear();
            while (batch.Count < batchSize && enumerator.MoveNext())
            {
                var document = enumerator.Current;
                Validate(document);
                batch.Add(document);
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (batch.Count == 0)
                break;
            var (batchAdded, batchUpdated, batchDuplicates) = WriteBatch(batch, seen);
            added += batchAdded;
            updated += batchUpdated;
            duplicates += batchDuplicates;
            batches++;
            var written = added + updated + duplicates;
            progress?.Report(new ImportProgress(written, batches, written / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
        }
        return new ImportSummary(added, updated, duplicates, 0, batches, clock.Elapsed);
    }

    /// <summary>Adds or replaces one document (one transaction).</summary>
    public ImportSummary Write(Document document) => Write([document]);

    /// <summary>Deletes the documents with the given ids in batches; unknown ids are ignored (not counted).</summary>
    public ImportSummary Delete(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var clock = Stopwatch.StartNew();
        long deleted = 0;
        var batches = 0;
        foreach (var chunk in ids.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted += InTransaction(session =>
            {
                long count = 0;
                foreach (var id in chunk)
                    if (session.Delete(id))
                        count++;
                return count;
            });
            batches++;
        }
        return new ImportSummary(0, 0, 0, deleted, batches, clock.Elapsed);
    }

    /// <summary>Deletes one document; false when the id is not in the index.</summary>
    public bool Delete(string id) => Delete([id]).Deleted > 0;

    private static void Validate(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (string.IsNullOrEmpty(document.Id))
            throw new ArgumentException("document id must not be empty");
        if (document.Id.Any(char.IsWhiteSpace))
            throw new ArgumentException($"document id '{document.Id}' contains whitespace, which TREC run files cannot hold");
        ArgumentNullException.ThrowIfNull(document.Title, $"title of document '{document.Id}'");
        ArgumentNullException.ThrowIfNull(document.Text, $"text of document '{document.Id}'");
    }

    private (long Added, long Updated, long Duplicates) WriteBatch(List<Document> batch, HashSet<string> seen)
    {
        // Analysis is the CPU-heavy part and independent per document: spread it over the cores, then write in order.
        var analyzed = new (string Title, int TitleLength, string Text, int TextLength)[batch.Count];
        Parallel.For(0, batch.Count, i =>
        {
            var title = Analyzer.Analyze(batch[i].Title);
            var text = Analyzer.Analyze(batch[i].Text);
            analyzed[i] = (string.Join(' ', title), title.Count, string.Join(' ', text), text.Count);
        });
        return InTransaction(session =>
        {
            long added = 0, updated = 0, duplicates = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var existed = session.Upsert(batch[i].Id, batch[i].Title, batch[i].Text,
                    analyzed[i].Title, analyzed[i].TitleLength, analyzed[i].Text, analyzed[i].TextLength);
                if (!seen.Add(batch[i].Id))
                    duplicates++;
                else if (existed)
                    updated++;
                else
                    added++;
            }
            return (added, updated, duplicates);
        });
    }

    private T InTransaction<T>(Func<WriteSession, T> work)
    {
        SqliteTransaction transaction;
        try
        {
            // IMMEDIATE takes SQLite's write lock up front (busy timeout 0), a second guard behind the lock file.
            transaction = connection.BeginTransaction(deferred: false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 5 /* SQLITE_BUSY */)
        {
            throw new SearchException($"index {directory} is being written by another process", ex);
        }
        using (transaction)
        {
            using var session = new WriteSession(connection);
            var result = work(session);
            session.FlushStatistics();
            transaction.Commit();
            return result;
        }
    }

    /// <summary>
    /// Merges FTS5's index segments into one and checkpoints the WAL into the database file. Worth calling after a
    /// large import: queries then read one b-tree per term instead of one per segment. Takes time proportional to the
    /// index size; searchers keep reading meanwhile.
    /// </summary>
    public void Optimize(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        InTransaction(_ =>
        {
            IndexSchema.Execute(connection, "INSERT INTO terms(terms) VALUES ('optimize')");
            return 0;
        });
        IndexSchema.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    public void Dispose()
    {
        connection.Dispose();
        lockStream.Dispose();
    }

    /// <summary>Prepared statements of one transaction plus the pending change to the collection statistics.</summary>
    private sealed class WriteSession : IDisposable
    {
        private readonly SqliteCommand find, insertDoc, updateDoc, deleteDoc, insertTerms, deleteTerms, updateStats;
        private long docCountDelta, titleLengthDelta, textLengthDelta;

        public WriteSession(SqliteConnection connection)
        {
            find = Prepare(connection, "SELECT rowid, title_length, text_length FROM docs WHERE id = $id", "$id");
            insertDoc = Prepare(connection,
                "INSERT INTO docs(id, title, text, title_length, text_length) VALUES ($id, $title, $text, $tl, $xl) RETURNING rowid",
                "$id", "$title", "$text", "$tl", "$xl");
            updateDoc = Prepare(connection,
                "UPDATE docs SET title = $title, text = $text, title_length = $tl, text_length = $xl WHERE rowid = $rowid",
                "$rowid", "$title", "$text", "$tl", "$xl");
            deleteDoc = Prepare(connection, "DELETE FROM docs WHERE rowid = $rowid", "$rowid");
            insertTerms = Prepare(connection, "INSERT INTO terms(rowid, title, text) VALUES ($rowid, $title, $text)", "$rowid", "$title", "$text");
            deleteTerms = Prepare(connection, "DELETE FROM terms WHERE rowid = $rowid", "$rowid");
            updateStats = Prepare(connection,
                "UPDATE stats SET doc_count = doc_count + $n, title_length_sum = title_length_sum + $tl, "
                + "text_length_sum = text_length_sum + $xl, generation = generation + 1 WHERE id = 1",
                "$n", "$tl", "$xl");
        }

        private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
                command.Parameters.Add(new SqliteParameter(name, null));
            return command;
        }

        private (long RowId, long TitleLength, long TextLength)? Find(string id)
        {
            find.Parameters["$id"].Value = id;
            using var reader = find.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
        }

        /// <summary>Writes one document; true when it replaced an existing one (which keeps its rowid).</summary>
        public bool Upsert(string id, string title, string text, string titleTerms, int titleLength, string textTerms, int textLength)
        {
            var existing = Find(id);
            long rowId;
            if (existing is { } old)
            {
                rowId = old.RowId;
                deleteTerms.Parameters["$rowid"].Value = rowId;
                deleteTerms.ExecuteNonQuery();
                SetValues(updateDoc, ("$rowid", rowId), ("$title", title), ("$text", text), ("$tl", titleLength), ("$xl", textLength));
                updateDoc.ExecuteNonQuery();
                titleLengthDelta -= old.TitleLength;
                textLengthDelta -= old.TextLength;
            }
            else
            {
                SetValues(insertDoc, ("$id", id), ("$title", title), ("$text", text), ("$tl", titleLength), ("$xl", textLength));
                rowId = (long)insertDoc.ExecuteScalar()!;
                docCountDelta++;
            }
            SetValues(insertTerms, ("$rowid", rowId), ("$title", titleTerms), ("$text", textTerms));
            insertTerms.ExecuteNonQuery();
            titleLengthDelta += titleLength;
            textLengthDelta += textLength;
            return existing is not null;
        }

        public bool Delete(string id)
        {
            if (Find(id) is not { } old)
                return false;
            deleteTerms.Parameters["$rowid"].Value = old.RowId;
            deleteTerms.ExecuteNonQuery();
            deleteDoc.Parameters["$rowid"].Value = old.RowId;
            deleteDoc.ExecuteNonQuery();
            docCountDelta--;
            titleLengthDelta -= old.TitleLength;
            textLengthDelta -= old.TextLength;
            return true;
        }

        public void FlushStatistics()
        {
            SetValues(updateStats, ("$n", docCountDelta), ("$tl", titleLengthDelta), ("$xl", textLengthDelta));
            updateStats.ExecuteNonQuery();
        }

        private static void SetValues(SqliteCommand command, params (string Name, object Value)[] values)
        {
            foreach (var (name, value) in values)
                command.Parameters[name].Value = value;
        }

        public void Dispose()
        {
            foreach (var command in new[] { find, insertDoc, updateDoc, deleteDoc, insertTerms, deleteTerms, updateStats })
                command.Dispose();
        }
    }
}
