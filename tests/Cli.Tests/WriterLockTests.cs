using System.Globalization;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using LuceneWriter = Lucene.Net.Index.IndexWriter;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// One writer per index across processes, with real processes: a second writer, whether the console tool, the
/// library in another process or a plain Lucene.Net application, fails at once with one line naming the folder and
/// the holder's PID, and the index the first writer builds is complete and clean.
/// </summary>
public sealed class WriterLockTests : IDisposable
{
    private const int Documents = 30_000;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_second_console_writer_fails_at_once_naming_the_first_and_the_first_completes_a_clean_index()
    {
        var corpus = SyntheticCorpus.Write(temp.Combine("corpus.tsv"), Documents);
        var index = temp.Combine("index");
        using var first = new ToolProcess(temp.Path, "index", "--corpus", corpus, "--index", index, "--batch-size", "100");
        Assert.True(first.WaitUntil(() => SyntheticCorpus.CommittedDocuments(index) >= 300, TimeSpan.FromSeconds(60)),
            "the first import finished before a second writer could try; make the corpus larger");

        foreach (var second in new[]
                 {
                     new[] { "index", "--corpus", corpus, "--index", index },
                     ["delete", "--index", index, "--id", "doc1"],
                     ["optimize", "--index", index],
                 })
        {
            var refused = CliRunner.Run(temp.Path, second);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.StartsWith($"error: index {index} is locked by another writer (process {first.Id}: searchrerank index --corpus {corpus}", refused.Stderr);
            Assert.EndsWith("); wait for it to finish, or stop it\n", refused.Stderr);
            Assert.Equal(1, refused.Stderr.Count(c => c == '\n'));
        }
        // Readers are not writers: searching works during the import.
        var search = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "marker5");
        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Contains("doc5", search.Stdout);

        var done = first.Wait(TimeSpan.FromSeconds(120));
        Assert.True(done.ExitCode == 0, done.ToString());
        using (var searcher = Searcher.Open(index))
            Assert.Equal(Documents, searcher.DocumentCount);
        using var directory = FSDirectory.Open(index);
        Assert.True(new CheckIndex(directory).DoCheckIndex().Clean);
    }

    [Fact]
    public void The_library_writer_in_this_process_and_the_console_in_another_exclude_each_other()
    {
        var corpus = SyntheticCorpus.Write(temp.Combine("corpus.tsv"), 10);
        var index = temp.Combine("index");
        using (var writer = Indexer.Open(index))
        {
            var refused = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", index);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.StartsWith($"error: index {index} is locked by another writer (process {Environment.ProcessId}", refused.Stderr);
            Assert.Equal(1, refused.Stderr.Count(c => c == '\n'));
        }

        using var console = new ToolProcess(temp.Path, "index", "--corpus", SyntheticCorpus.Write(temp.Combine("large.tsv"), Documents), "--index", index, "--batch-size", "100");
        Assert.True(console.WaitUntil(() => SyntheticCorpus.CommittedDocuments(index) >= 300, TimeSpan.FromSeconds(60)));
        var error = Assert.Throws<IndexLockedException>(() => Indexer.Open(index));
        Assert.StartsWith($"index {index} is locked by another writer (process {console.Id}: searchrerank index", error.Message);
        console.Signal("TERM");
        Assert.Equal(143, console.Wait(TimeSpan.FromSeconds(30)).ExitCode);
        // The lock died with its holder's stop: the library writes again.
        using var again = Indexer.Open(index);
    }

    [Fact]
    public void A_plain_Lucene_writer_on_its_native_lock_and_the_console_exclude_each_other()
    {
        var corpus = SyntheticCorpus.Write(temp.Combine("corpus.tsv"), Documents);
        var index = temp.Combine("index");
        Assert.Equal(0, CliRunner.Run(temp.Path, "index", "--corpus", SyntheticCorpus.Write(temp.Combine("one.tsv"), 1), "--index", index).ExitCode);

        using (var lucene = OpenLuceneWriter(index))
        {
            var refused = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", index);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.StartsWith($"error: index {index} is locked by another writer (process {Environment.ProcessId}", refused.Stderr);
        }

        using var console = new ToolProcess(temp.Path, "index", "--corpus", corpus, "--index", index, "--batch-size", "100");
        Assert.True(console.WaitUntil(() => SyntheticCorpus.CommittedDocuments(index) >= 300, TimeSpan.FromSeconds(60)));
        Assert.Throws<LockObtainFailedException>(() => OpenLuceneWriter(index).Dispose());
        console.Signal("KILL");
        console.Wait(TimeSpan.FromSeconds(30));
        // kill -9 leaves the lock file but no lock: the next writer, Lucene's or ours, gets it.
        Assert.True(File.Exists(Path.Combine(index, LuceneWriter.WRITE_LOCK_NAME)));
        OpenLuceneWriter(index).Dispose();
        using var ours = Indexer.Open(index);
    }

    /// <summary>What a Lucene.Net application does: FSDirectory.Open (native lock), its own analyzer, no wait for the lock.</summary>
    private static LuceneWriter OpenLuceneWriter(string index)
    {
        var directory = FSDirectory.Open(index);
        try
        {
            return new LuceneWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new StandardAnalyzer(LuceneVersion.LUCENE_48)) { WriteLockTimeout = 0 });
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }
}
