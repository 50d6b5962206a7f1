using System.Collections.Concurrent;
using System.Diagnostics;
using Lucene.Net.Index;
using SearchRerank.Core;
using SearchRerank.Search.Index;
using Directory = System.IO.Directory;

namespace SearchRerank.Search.Tests;

/// <summary>
/// One writer importing, updating and deleting for 20 seconds while four readers search: no reader may fail, and
/// every read must see exactly the state of one commit. The writer publishes, before each commit, what that commit
/// holds (live documents, and how many carry the commit's stamp); a reader looks up the generation of the commit it
/// holds and checks both numbers. A half-applied commit (adds without their deletes, a replacement without its
/// removal) would show other numbers.
/// </summary>
public class ConcurrencyTests
{
    [Fact]
    public async Task FourReadersSeeOnlyWholeCommitsWhileAWriterAddsUpdatesAndDeletesFor20Seconds()
    {
        using var dir = new TempDirectory();
        using var writer = Indexer.Open(dir.Path, new IndexerOptions { BatchSize = 1000 });
        writer.Write([new CorpusDocument("seed", "", "shared s0")]);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { IncludeContent = false });
        var generation = searcher.GetStatistics().Generation;
        var expected = new ConcurrentDictionary<long, (int Live, string Stamp, int Stamped)> { [generation] = (1, "s0", 1) };
        using var stop = new CancellationTokenSource();
        var errors = new ConcurrentQueue<string>();
        var reads = 0L;

        var readers = Enumerable.Range(0, 4).Select(r => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var snapshot = searcher.Acquire();
                    var commit = ((DirectoryReader)snapshot.IndexSearcher.IndexReader).IndexCommit.Generation;
                    if (!expected.TryGetValue(commit, out var state))
                    {
                        errors.Enqueue($"reader {r}: sees commit {commit}, which the writer never made");
                        continue;
                    }
                    var shared = snapshot.Search(searcher.ParseQuery("shared")!, 1_000_000).ScoreDocs.Length;
                    var stamped = snapshot.Search(searcher.ParseQuery(state.Stamp)!, 1_000_000).ScoreDocs.Length;
                    if (shared != state.Live || snapshot.DocumentCount != state.Live || stamped != state.Stamped)
                        errors.Enqueue($"reader {r}, commit {commit}: {shared} match, {snapshot.DocumentCount} live, {stamped} stamped {state.Stamp}; "
                                       + $"the commit holds {state.Live} and {state.Stamped}");
                    Interlocked.Increment(ref reads);
                }
                catch (Exception ex)
                {
                    errors.Enqueue($"reader {r}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        var clock = Stopwatch.StartNew();
        var live = new List<string> { "seed" };
        var next = 0;
        var commits = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            commits++;
            var stamp = $"s{commits}";
            if (commits % 3 == 0 && live.Count > 10)
            {
                // A delete commit: the five oldest documents go.
                var deleted = live.Take(5).ToList();
                live.RemoveRange(0, 5);
                expected[++generation] = (live.Count, $"s{commits - 1}", expected[generation - 1].Stamped);
                Assert.Equal(5, writer.Delete(deleted).Deleted);
            }
            else
            {
                // An import commit: 15 new documents and 5 replaced ones (from the middle), all stamped with this commit.
                var added = Enumerable.Range(0, 15).Select(_ => new CorpusDocument($"n{next++}", "", $"shared {stamp}")).ToList();
                var replaced = live.Skip(live.Count / 2).Take(5).Select(id => new CorpusDocument(id, "", $"shared {stamp}")).ToList();
                live.AddRange(added.Select(d => d.Id));
                expected[++generation] = (live.Count, stamp, added.Count + replaced.Count);
                var summary = writer.Write(added.Concat(replaced));
                Assert.Equal((15L, (long)replaced.Count, 1), (summary.Added, summary.Updated, summary.Batches));
            }
        }
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(errors);
        Assert.True(reads > 100, $"only {reads} reads in 20 s");
        Assert.True(commits > 20, $"only {commits} commits in 20 s");
        Assert.Equal(live.Count, searcher.DocumentCount);
        Assert.Equal(generation, searcher.GetStatistics().Generation);
    }
}
