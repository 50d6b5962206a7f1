using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Store;
using SearchRerank.Search;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// The durability promise with a real SIGKILL: an import killed mid-way leaves an index that opens, passes Lucene's
/// CheckIndex and holds exactly the committed batches, and running the same import again resumes after them and
/// completes it.
/// </summary>
public sealed class KilledImportTests : IDisposable
{
    private const int Documents = 30_000;
    private const int BatchSize = 100;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Import_killed_mid_way_keeps_whole_batches_passes_CheckIndex_and_a_rerun_resumes_and_completes_it()
    {
        var corpus = WriteCorpus();
        var index = temp.Combine("index");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(CommandAction).Assembly.Location, "index", "--corpus", corpus, "--index", index,
                     "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture), "--no-optimize" })
            start.ArgumentList.Add(arg);
        using (var import = Process.Start(start)!)
        {
            import.StandardOutput.ReadToEndAsync();
            import.StandardError.ReadToEndAsync();
            // Kill once a few batches are on disk, well before the end.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!import.HasExited && DateTime.UtcNow < deadline && CommittedDocuments(index) < 3 * BatchSize)
                Thread.Sleep(20);
            Assert.False(import.HasExited, "the import finished before it could be killed; make the corpus larger");
            import.Kill(entireProcessTree: true);
            import.WaitForExit();
        }

        using (var directory = FSDirectory.Open(index))
            Assert.True(new CheckIndex(directory).DoCheckIndex().Clean, "CheckIndex found problems after the kill");
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
        using (var searcher = Searcher.Open(index))
        {
            Assert.Equal(Documents, searcher.DocumentCount);
            Assert.Equal(0, searcher.GetStatistics().DeletedDocuments);
            Assert.Equal("doc" + (Documents - 1), searcher.Search("marker" + (Documents - 1), 1).Single().DocId);
        }
        using (var directory = FSDirectory.Open(index))
            Assert.True(new CheckIndex(directory).DoCheckIndex().Clean);
    }

    private string WriteCorpus()
    {
        var path = temp.Combine("corpus.tsv");
        var builder = new StringBuilder();
        for (var i = 0; i < Documents; i++)
            builder.Append("doc").Append(i).Append("\tTitle ").Append(i).Append("\tmarker").Append(i)
                .Append(" some text about aspirin coffee sleep vitamin heart and other words to index\n");
        File.WriteAllText(path, builder.ToString());
        return path;
    }

    /// <summary>Documents committed so far, read through the library as any reader would; 0 while the index is being created.</summary>
    private static long CommittedDocuments(string index)
    {
        try
        {
            using var searcher = Searcher.Open(index);
            return searcher.DocumentCount;
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
