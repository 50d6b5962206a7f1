using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Store;
using SearchRerank.Search;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// The durability promise with real signals: an import killed (SIGKILL) or stopped (SIGINT, SIGTERM: exit 130 / 143
/// and one line saying what the index keeps) mid-way leaves an index that opens, passes Lucene's CheckIndex and holds
/// exactly the committed batches, and running the same import again resumes after them and completes it.
/// </summary>
public sealed class InterruptedImportTests : IDisposable
{
    private const int Documents = 30_000;
    private const int BatchSize = 100;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("KILL", 137)]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void Import_interrupted_mid_way_keeps_whole_batches_passes_CheckIndex_and_a_rerun_resumes_and_completes_it(string signal, int exitCode)
    {
        var corpus = SyntheticCorpus.Write(temp.Combine("corpus.tsv"), Documents);
        var index = temp.Combine("index");

        using (var import = new ToolProcess(temp.Path, "index", "--corpus", corpus, "--index", index,
                   "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture), "--no-optimize"))
        {
            // Interrupt once a few batches are on disk, well before the end.
            Assert.True(import.WaitUntil(() => SyntheticCorpus.CommittedDocuments(index) >= 3 * BatchSize, TimeSpan.FromSeconds(60)),
                "the import finished before it could be interrupted; make the corpus larger");
            import.Signal(signal);
            var stopped = import.Wait(TimeSpan.FromSeconds(30));
            Assert.True(stopped.ExitCode == exitCode, stopped.ToString());
            if (signal != "KILL")
            {
                // One line says what the index keeps, and it is exactly what a reader finds.
                var line = stopped.Stderr.TrimEnd().Split('\n')[^1];
                Assert.Matches($"^stopped by SIG{signal}: index .* keeps its last commit \\(([0-9,]+) documents\\); run the same command again to resume$", line);
                Assert.Contains($"({SyntheticCorpus.CommittedDocuments(index):N0} documents)", line);
            }
        }

        using (var directory = FSDirectory.Open(index))
            Assert.True(new CheckIndex(directory).DoCheckIndex().Clean, "CheckIndex found problems after the interruption");
        long afterKill;
        using (var searcher = Searcher.Open(index))
        {
            afterKill = searcher.DocumentCount;
            Assert.InRange(afterKill, 3 * BatchSize, Documents - 1);
            Assert.Equal(0, afterKill % BatchSize);
            // Exactly the first afterKill documents: the commits hold whole batches in corpus order.
            Assert.NotNull(searcher.GetDocument("doc0"));
            Assert.NotNull(searcher.GetDocument("doc" + (afterKill - 1)));
            Assert.Null(searcher.GetDocument("doc" + afterKill));
            Assert.Equal(afterKill, searcher.Search("aspirin", Documents).Count);
        }

        var rerun = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", index, "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture));
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains($"resumed after {afterKill:N0} documents committed by an interrupted run", rerun.Stdout);
        Assert.Contains($"{Documents - afterKill:N0} added, 0 updated", rerun.Stdout);
        // The progress of a resumed import counts from where it resumed: it ends at the file's end, not short of it.
        Assert.Contains($"indexing: {Documents:N0}/{Documents:N0} documents (100%)", rerun.Stderr);
        using (var searcher = Searcher.Open(index))
        {
            Assert.Equal(Documents, searcher.DocumentCount);
            Assert.Equal(0, searcher.GetStatistics().DeletedDocuments);
            Assert.Equal("doc" + (Documents - 1), searcher.Search("marker" + (Documents - 1), 1).Single().DocId);
        }
        using (var directory = FSDirectory.Open(index))
            Assert.True(new CheckIndex(directory).DoCheckIndex().Clean);
    }

    [Fact]
    public void Killed_again_and_again_at_any_moment_every_state_is_a_whole_commit_and_the_import_completes()
    {
        var corpus = SyntheticCorpus.Write(temp.Combine("corpus.tsv"), Documents);
        var index = temp.Combine("index");
        // Kills land wherever the delays fall: adding a batch, writing a commit's files, syncing, a background merge.
        var random = new Random(28);
        var kills = 0;
        for (var attempt = 0; attempt < 12; attempt++)
        {
            using var import = new ToolProcess(temp.Path, "index", "--corpus", corpus, "--index", index, "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture));
            Thread.Sleep(random.Next(300, 1500));
            if (import.HasExited)
            {
                Assert.True(import.Wait(TimeSpan.FromSeconds(10)).ExitCode == 0);
                break;
            }
            import.Signal("KILL");
            import.Wait(TimeSpan.FromSeconds(30));
            kills++;
            using (var directory = FSDirectory.Open(index))
            {
                if (!DirectoryReader.IndexExists(directory))
                    continue;
                Assert.True(new CheckIndex(directory).DoCheckIndex().Clean, $"CheckIndex found problems after kill {kills}");
            }
            using var searcher = Searcher.Open(index);
            Assert.Equal(0, searcher.DocumentCount % BatchSize);
        }
        Assert.InRange(kills, 2, 12);
        var last = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", index);
        Assert.True(last.ExitCode == 0, last.ToString());
        using (var searcher = Searcher.Open(index))
            Assert.Equal(Documents, searcher.DocumentCount);
        using (var directory = FSDirectory.Open(index))
            Assert.True(new CheckIndex(directory).DoCheckIndex().Clean);
    }
}
