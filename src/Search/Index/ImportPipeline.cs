using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Lucene.Net.Index;
using SearchRerank.Core;

namespace SearchRerank.Search.Index;

/// <summary>
/// The import behind <see cref="Indexer.Write(IEnumerable{CorpusDocument}, IProgress{ImportProgress}?, CancellationToken)"/>
/// and <see cref="Indexer.Import"/>: reads and validates the next batch while the current one is indexed on every core,
/// counts each document as added, updated or a duplicate (only the last copy of an id is written), and commits each
/// batch through the <see cref="CommitGuard"/>. An exception from the sequence or a cancellation abandons the batch in
/// flight; batches committed before stay.
/// </summary>
internal sealed class ImportPipeline(CommitGuard guard, int batchSize)
{
    /// <summary>
    /// Writes <paramref name="documents"/> in batches, one commit each; with <paramref name="checkpoint"/> (an import
    /// of a file) skips the documents an interrupted import committed and records in each commit how far it got.
    /// </summary>
    public ImportSummary Write(IEnumerable<CorpusDocument> documents, ImportCheckpoint? checkpoint, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long added = 0, updated = 0, duplicates = 0;
        var batches = 0;
        var resumed = checkpoint?.Documents ?? 0;
        var read = resumed;
        using var before = guard.OpenCommitted();
        // Reading and parsing the next batch overlaps with indexing the current one.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<Batch>(boundedCapacity: 1);
        var reader = Task.Run(() => ReadBatches(documents, resumed, seen, queue, reading.Token));
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (batch.Documents.Count == 0 && checkpoint is null)
                    break;
                var committed = added + updated + duplicates;
                var (batchAdded, batchUpdated, batchDuplicates) = AddBatch(batch.Documents, seen, before, progress is null ? null : inBatch =>
                    progress.Report(new ImportProgress(committed + inBatch, committed, batches, (committed + inBatch) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), resumed)),
                    cancellationToken);
                added += batchAdded;
                updated += batchUpdated;
                duplicates += batchDuplicates;
                read += batch.Documents.Count;
                if (checkpoint is null)
                    guard.CommitChange();
                else
                    guard.CommitImport(checkpoint with { Documents = read, Complete = batch.Last });
                batches++;
                var written = added + updated + duplicates;
                progress?.Report(new ImportProgress(written, written, batches, written / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), resumed));
            }
        }
        catch
        {
            // The reader must be gone before the queue it writes to is disposed; its own failure matters less now.
            reading.Cancel();
            try
            {
                reader.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
            throw;
        }
        // A failure of the sequence surfaces here, after every batch read before it was committed.
        reader.GetAwaiter().GetResult();
        return new ImportSummary(added, updated, duplicates, 0, batches, clock.Elapsed) { Resumed = resumed };
    }

    /// <summary>
    /// Skips the <paramref name="resumed"/> documents an interrupted import committed (remembering their ids), then
    /// hands over validated batches; the last one is marked. Stops quietly when the consumer is gone.
    /// </summary>
    private void ReadBatches(IEnumerable<CorpusDocument> documents, long resumed, HashSet<string> seen, BlockingCollection<Batch> queue,
        CancellationToken cancellationToken)
    {
        try
        {
            using var enumerator = documents.GetEnumerator();
            for (long i = 0; i < resumed && enumerator.MoveNext(); i++)
                seen.Add(enumerator.Current.Id);
            // One document of look-ahead tells whether a batch is the last, so the final commit can say so.
            var more = enumerator.MoveNext();
            do
            {
                var batch = new List<CorpusDocument>(Math.Min(batchSize, 65_536));
                while (more && batch.Count < batchSize)
                {
                    Validate(enumerator.Current);
                    batch.Add(enumerator.Current);
                    more = enumerator.MoveNext();
                }
                queue.Add(new Batch(batch, Last: !more), cancellationToken);
            }
            while (more);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    private sealed record Batch(List<CorpusDocument> Documents, bool Last);

    private static void Validate(CorpusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (string.IsNullOrEmpty(document.Id))
            throw new ArgumentException("document id must not be empty");
        if (document.Id.Any(char.IsWhiteSpace))
            throw new ArgumentException($"document id '{document.Id}' contains whitespace, which TREC run files cannot hold");
        if (Encoding.UTF8.GetByteCount(document.Id) > IndexWriter.MAX_TERM_LENGTH)
            throw new ArgumentException($"document id '{document.Id[..40]}…' is longer than Lucene's {IndexWriter.MAX_TERM_LENGTH}-byte term limit");
        ArgumentNullException.ThrowIfNull(document.Title, $"title of document '{document.Id}'");
        ArgumentNullException.ThrowIfNull(document.Text, $"text of document '{document.Id}'");
    }

    /// <summary>Counts and writes one batch: only the last copy of an id is written, replacing what the index or an earlier batch holds.</summary>
    private (long Added, long Updated, long Duplicates) AddBatch(List<CorpusDocument> batch, HashSet<string> seen, DirectoryReader? before,
        Action<long>? indexed, CancellationToken cancellationToken)
    {
        long added = 0, updated = 0, duplicates = 0;
        var plan = new Dictionary<string, (int Last, bool Replace)>(batch.Count, StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            var id = batch[i].Id;
            if (plan.TryGetValue(id, out var planned))
            {
                plan[id] = (i, planned.Replace);
                duplicates++;
                continue;
            }
            var existed = before is not null && DocumentIds.Find(before, id) >= 0;
            var earlier = !seen.Add(id);
            if (earlier)
                duplicates++;
            else if (existed)
                updated++;
            else
                added++;
            plan[id] = (i, existed || earlier);
        }

        var writer = guard.Writer;
        long done = 0;
        // A cancellation abandons the batch: Guarded rolls back what it added, leaving the last commit as it was.
        guard.Run("adding documents", () => Parallel.ForEach(plan.Values, new ParallelOptions { CancellationToken = cancellationToken }, entry =>
        {
            // Lucene analyses inside Add/UpdateDocument, one thread state per caller: adding from every core is
            // what spreads the analysis over them.
            var document = IndexSchema.ToLucene(batch[entry.Last]);
            if (entry.Replace)
                writer.UpdateDocument(new Term(IndexSchema.Id, batch[entry.Last].Id), document);
            else
                writer.AddDocument(document);
            var count = Interlocked.Increment(ref done);
            if (count % Indexer.ProgressInterval == 0)
                indexed?.Invoke(count);
        }));
        return (added, updated, duplicates);
    }
}
