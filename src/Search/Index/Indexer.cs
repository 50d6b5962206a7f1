using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SearchRerank.Core;
using SearchRerank.Search.Analysis;
using SearchRerank.Search.Replication;
using LuceneAnalyzer = Lucene.Net.Analysis.Analyzer;

namespace SearchRerank.Search.Index;

/// <summary>
/// The single writer of an index folder (a Lucene index, <see cref="IndexSchema"/>): adds, replaces (same id) and
/// deletes documents in batches, each batch one Lucene commit whose user data (<see cref="CommitData"/>) records the
/// analyzer, the BM25 defaults and how far an import got. A killed process leaves the last commit, which holds every
/// batch committed before it and nothing of the batch in flight; <see cref="Import"/> run again resumes after it.
/// Holds an exclusive OS lock on the folder for its lifetime (<see cref="ExclusiveLockFactory"/>): a second writer, in
/// any process, fails at once with "index X is locked by another writer (process PID: command)", and the lock
/// dies with its holder. Every commit is flushed to disk, the folder's entries included (<see cref="DurableDirectory"/>).
/// Searchers keep reading whole commits meanwhile. With <see cref="IndexerOptions.Publisher"/>, every commit is
/// also published to replicas as it returns.
/// <para>
/// Deleted and replaced documents stay in their segments, and in the BM25 statistics (document count, document
/// frequencies, average length), until a merge drops them; <see cref="Optimize"/> merges everything into one segment.
/// </para>
/// Not thread-safe: one caller at a time (each batch is added on all cores inside). Dispose to release the lock.
/// </summary>
public sealed class Indexer : IDisposable
{
    private const int ValueBatch = 1024;

    private readonly string path;
    private readonly DurableDirectory directory;
    private readonly LuceneAnalyzer analyzer;
    private readonly int batchSize;
    private readonly CommitGuard guard;
    private readonly ImportPipeline pipeline;

    private Indexer(string path, DurableDirectory directory, LuceneAnalyzer analyzer, CommitGuard guard, IndexMetadata metadata, int batchSize)
    {
        this.path = path;
        this.directory = directory;
        this.analyzer = analyzer;
        this.guard = guard;
        this.batchSize = batchSize;
        pipeline = new ImportPipeline(guard, batchSize);
        Metadata = metadata;
    }

    public IndexMetadata Metadata { get; }

    /// <summary>Opens the index in <paramref name="directory"/> for writing, creating folder and index when missing.</summary>
    /// <exception cref="IndexLockedException">Another writer holds the index.</exception>
    /// <exception cref="SearchException">The folder holds something else, or the analyzer differs from the index's.</exception>
    public static Indexer Open(string directory, IndexerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new IndexerOptions();
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"batch size must be positive, got {options.BatchSize}");
        var requestedAnalyzer = options.Analyzer is null ? null : Analyzers.Canonical(options.Analyzer);
        Bm25Parameters.Check(options.K1, options.B, nameof(options));
        System.IO.Directory.CreateDirectory(directory);
        var fs = new DurableDirectory(directory);
        LuceneAnalyzer? analyzer = null;
        try
        {
            bool exists;
            IndexMetadata metadata;
            IDictionary<string, string> data = new Dictionary<string, string>();
            // What is read before Lucene's writer takes the lock is read under it too: a writer in another process
            // could otherwise commit and delete the very files being read. Lucene takes the lock again right after.
            using (HoldLock(fs, directory))
            {
                IndexFolder.RequireWritable(directory);
                exists = DirectoryReader.IndexExists(fs);
                if (exists)
                {
                    var infos = new SegmentInfos();
                    infos.Read(fs);
                    data = infos.UserData;
                    var stored = CommitData.ReadMetadata(data, directory);
                    if (requestedAnalyzer is not null && requestedAnalyzer != stored.Analyzer)
                        throw new SearchException($"index {directory} was built with analyzer '{stored.Analyzer}', not '{requestedAnalyzer}'; use a new folder to change it");
                    metadata = stored with { K1 = options.K1 ?? stored.K1, B = options.B ?? stored.B };
                }
                else
                {
                    metadata = new IndexMetadata(requestedAnalyzer ?? Analyzers.English, options.K1 ?? IndexMetadata.DefaultK1, options.B ?? IndexMetadata.DefaultB);
                }
            }

            analyzer = Analyzers.Create(metadata.Analyzer);
            var merges = new MergeFailures();
            var writer = CreateWriter(fs, directory, analyzer, merges, create: !exists, snapshots: options.Publisher is not null);
            try
            {
                // The first commit makes even an empty index openable and records how it was built.
                if (!exists || CommitData.ReadMetadata(data, directory) != metadata)
                {
                    writer.SetCommitData(CommitData.WithCommitTime(CommitData.With(writer.CommitData, metadata), DateTimeOffset.UtcNow));
                    writer.Commit();
                }
                // Replicas get the index as it is now, before any change this writer makes.
                options.Publisher?.Publish(writer);
                return new Indexer(directory, fs, analyzer, new CommitGuard(directory, fs, writer, merges, options.Publisher), metadata, options.BatchSize);
            }
            catch
            {
                writer.Rollback();
                throw;
            }
        }
        catch
        {
            analyzer?.Dispose();
            fs.Dispose();
            throw;
        }
    }

    private static IndexWriter CreateWriter(DurableDirectory fs, string directory, LuceneAnalyzer analyzer, MergeFailures merges, bool create,
        bool snapshots)
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
        {
            OpenMode = create ? OpenMode.CREATE : OpenMode.APPEND,
            // Norms are computed at index time; BM25 and the language-model similarities encode them alike.
            Similarity = new BM25Similarity(),
            RAMBufferSizeMB = 64,
            WriteLockTimeout = 0,
            MergeScheduler = merges,
        };
        // A published revision holds a snapshot of its commit, so its files outlive later commits while replicas copy them.
        if (snapshots)
            config.IndexDeletionPolicy = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
        try
        {
            return new IndexWriter(fs, config);
        }
        catch (LockObtainFailedException ex)
        {
            throw Locked(directory, ex);
        }
    }

    /// <summary>The folder's write lock, held by this call; the "locked by another writer" error when another holds it.</summary>
    internal static Lucene.Net.Store.Lock HoldLock(DurableDirectory fs, string directory)
    {
        var held = fs.MakeLock(IndexWriter.WRITE_LOCK_NAME);
        if (held.Obtain())
            return held;
        held.Dispose();
        throw Locked(directory, null);
    }

    private static IndexLockedException Locked(string directory, Exception? cause)
    {
        var message = $"index {directory} is locked by another writer{LockHolder.Describe(Path.Combine(directory, IndexWriter.WRITE_LOCK_NAME))}; "
                      + "wait for it to finish, or stop it";
        return cause is null ? new IndexLockedException(message) : new IndexLockedException(message, cause);
    }

    /// <summary>False once a failed change has rolled this writer back (or it was disposed): open a new one to go on.</summary>
    public bool IsOpen => guard.IsOpen;

    /// <summary>
    /// Adds or replaces <paramref name="documents"/>, streaming them in batches; each batch is committed whole.
    /// An exception from the sequence (e.g. a <c>DataFormatException</c> from a corpus reader) or a cancellation
    /// abandons the current batch; batches committed before stay.
    /// </summary>
    public ImportSummary Write(IEnumerable<CorpusDocument> documents, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return pipeline.Write(documents, null, progress, cancellationToken);
    }

    /// <summary>Adds or replaces one document (one commit).</summary>
    public ImportSummary Write(CorpusDocument document) => Write([document]);

    /// <summary>
    /// Imports the corpus file at <paramref name="corpusPath"/> (<see cref="CorpusReader"/>) like <see cref="Write(IEnumerable{CorpusDocument}, IProgress{ImportProgress}?, CancellationToken)"/>,
    /// recording in each commit how many of its documents are in. When the last commit records an unfinished import
    /// of the same, unchanged file, the documents it holds are skipped (<see cref="ImportSummary.Resumed"/>) and the
    /// import continues after them. When it records the same file's finished import and nothing changed the index
    /// since, nothing is read or written (<see cref="ImportSummary.AlreadyImported"/>).
    /// </summary>
    /// <exception cref="DataFormatException">The file is missing, of an unknown format, or malformed (when reached).</exception>
    public ImportSummary Import(string corpusPath, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var documents = CorpusReader.Read(corpusPath);
        var checkpoint = ImportCheckpoint.Start(corpusPath);
        var last = CommitData.ReadCheckpoint(guard.Writer.CommitData);
        if (last is not null && last.IsFinishedImportOf(checkpoint))
            return new ImportSummary(0, 0, 0, 0, 0, TimeSpan.Zero) { Resumed = last.Documents, AlreadyImported = true };
        var committed = last?.CommittedOf(checkpoint) ?? 0;
        return pipeline.Write(documents, checkpoint with { Documents = committed }, progress, cancellationToken);
    }

    /// <summary>Documents between two progress reports inside a batch (a batch is 50,000 documents by default).</summary>
    public const int ProgressInterval = 1000;

    /// <summary>Deletes the documents with the given ids in batches (one commit each); unknown ids are ignored (not counted).</summary>
    public ImportSummary Delete(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var clock = Stopwatch.StartNew();
        using var before = guard.OpenCommitted();
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        var batches = 0;
        foreach (var chunk in ids.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var id in chunk)
            {
                ArgumentNullException.ThrowIfNull(id);
                if (before is not null && DocumentIds.Find(before, id) >= 0)
                    deleted.Add(id);
            }
            var terms = chunk.Select(id => new Term(IndexSchema.Id, id)).ToArray();
            guard.Run("deleting documents", () => guard.Writer.DeleteDocuments(terms));
            guard.CommitChange();
            batches++;
        }
        return new ImportSummary(0, 0, 0, deleted.Count, batches, clock.Elapsed);
    }

    /// <summary>Deletes one document; false when the id is not in the index.</summary>
    public bool Delete(string id) => Delete([id]).Deleted > 0;

    /// <summary>
    /// Merges all segments into one (Lucene's force merge) and commits: deleted and replaced documents leave the
    /// BM25 statistics, and queries read one posting list per term. Takes time proportional to the index size;
    /// searchers keep reading the previous commit meanwhile.
    /// </summary>
    public void Optimize()
    {
        guard.Run("merging segments", () => guard.Writer.ForceMerge(1));
        guard.CommitSameContent();
    }

    /// <summary>
    /// Stores a value per live document in the binary doc-values field <paramref name="field"/> (the schema's
    /// <see cref="IndexSchema.WordPieceIds"/>, which the re-ranker's pre-tokenization fills): documents whose value
    /// <paramref name="isCurrent"/> accepts are left alone, the others get <paramref name="compute"/>'s value, computed on
    /// all cores a batch at a time. Documents are read from the last commit, which no one else can change while this
    /// writer holds the lock, so a value always belongs to the text beside it. Commits every few tens of MiB of values;
    /// a failure or cancellation leaves the index at its last commit. Reports the documents visited so far.
    /// </summary>
    internal BinaryValuesSummary StoreBinaryValues(string field, Func<BytesRef, bool> isCurrent, Func<CorpusDocument, BytesRef> compute,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(isCurrent);
        ArgumentNullException.ThrowIfNull(compute);
        const long commitBytes = 32L << 20;
        var clock = Stopwatch.StartNew();
        using var reader = guard.OpenCommitted();
        long stored = 0, current = 0, bytes = 0, pendingBytes = 0;
        var commits = 0;
        var batch = new List<CorpusDocument>(ValueBatch);

        void Flush()
        {
            var values = new BytesRef[batch.Count];
            Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => values[i] = compute(batch[i]));
            for (var i = 0; i < batch.Count; i++)
            {
                var term = new Term(IndexSchema.Id, batch[i].Id);
                var value = values[i];
                guard.Run("storing document values", () => guard.Writer.UpdateBinaryDocValue(term, field, value));
                pendingBytes += value.Length;
                bytes += value.Length;
            }
            stored += batch.Count;
            batch.Clear();
            if (pendingBytes >= commitBytes)
            {
                guard.CommitSameContent();
                commits++;
                pendingBytes = 0;
            }
            progress?.Report(stored + current);
        }

        try
        {
            Visit(reader, path, field, isCurrent, batch, ref current, Flush, cancellationToken);
            if (batch.Count > 0)
                Flush();
            if (pendingBytes > 0)
            {
                guard.CommitSameContent();
                commits++;
            }
        }
        catch (Exception) when (guard.IsOpen)
        {
            // Values buffered since the last commit would be committed on close; a cancelled or failed run leaves none.
            guard.Abandon();
            throw;
        }
        return new BinaryValuesSummary(stored, current, bytes, commits, clock.Elapsed);
    }

    /// <summary>Collects the live documents of <paramref name="reader"/> whose value is not current, flushing full batches.</summary>
    private static void Visit(DirectoryReader? reader, string indexPath, string field, Func<BytesRef, bool> isCurrent, List<CorpusDocument> batch,
        ref long current, Action flush, CancellationToken cancellationToken)
    {
        if (reader is null)
            return;
        var value = new BytesRef();
        foreach (var leaf in reader.Leaves)
        {
            var values = leaf.AtomicReader.GetBinaryDocValues(field);
            var live = leaf.AtomicReader.LiveDocs;
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                if (live is not null && !live.Get(doc))
                    continue;
                cancellationToken.ThrowIfCancellationRequested();
                values?.Get(doc, value);
                if (values is not null && isCurrent(value))
                {
                    current++;
                    continue;
                }
                batch.Add(StoredDocuments.Read(leaf.AtomicReader, doc, indexPath));
                if (batch.Count == ValueBatch)
                    flush();
            }
        }
    }

    /// <summary>Releases the write lock. Everything is committed already: each call commits before it returns.</summary>
    public void Dispose()
    {
        guard.Dispose();
        analyzer.Dispose();
        directory.Dispose();
    }
}
