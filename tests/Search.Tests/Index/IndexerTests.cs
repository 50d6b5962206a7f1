using Lucene.Net.Index;
using Lucene.Net.Store;
using SearchRerank.Core;
using SearchRerank.Search.Index;
using Directory = System.IO.Directory;

namespace SearchRerank.Search.Tests.Index;

public class IndexerTests
{
    private static CorpusDocument Doc(string id, string text, string title = "") => new(id, title, text);

    /// <summary>Lucene's CheckIndex over the whole folder: every segment readable and consistent.</summary>
    internal static void AssertCheckIndexClean(string path)
    {
        using var directory = FSDirectory.Open(path);
        var status = new CheckIndex(directory).DoCheckIndex();
        Assert.True(status.Clean, $"CheckIndex found problems in {path}");
    }

    [Fact]
    public void CountsAddedUpdatedDuplicatesAndDeleted()
    {
        using var dir = new TempDirectory();
        using (var writer = Indexer.Open(dir.Path, new IndexerOptions { BatchSize = 2 }))
        {
            var first = writer.Write([Doc("a", "apple"), Doc("b", "banana"), Doc("c", "cherry")]);
            Assert.Equal((3L, 0L, 0L, 2), (first.Added, first.Updated, first.Duplicates, first.Batches));
            var second = writer.Write([Doc("a", "apricot"), Doc("d", "date"), Doc("d", "dragonfruit"), Doc("e", "elder"), Doc("d", "durian")]);
            Assert.Equal((2L, 1L, 2L), (second.Added, second.Updated, second.Duplicates));
            Assert.Equal(1, writer.Delete(["b", "zzz", "b"]).Deleted);
            Assert.False(writer.Delete("b"));
        }
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(4, searcher.DocumentCount);
        Assert.Equal("apricot", searcher.GetDocument("a")!.Text);
        Assert.Equal("durian", searcher.GetDocument("d")!.Text);
        Assert.Null(searcher.GetDocument("b"));
        Assert.Empty(searcher.Search("apple", 10));
        Assert.Empty(searcher.Search("banana", 10));
        Assert.Empty(searcher.Search("date dragonfruit", 10));
        Assert.Equal(["a"], searcher.Search("apricot", 10).Select(h => h.DocId));
        Assert.Equal(["d"], searcher.Search("durian", 10).Select(h => h.DocId));
        AssertCheckIndexClean(dir.Path);
    }

    [Fact]
    public void SecondWriterFailsClearlyWhileTheFirstIsOpen()
    {
        using var dir = new TempDirectory();
        using var first = Indexer.Open(dir.Path);
        var error = Assert.Throws<IndexLockedException>(() => Indexer.Open(dir.Path));
        Assert.StartsWith($"index {dir.Path} is locked by another writer (process {Environment.ProcessId}", error.Message);
        Assert.EndsWith("; wait for it to finish, or stop it", error.Message);
        first.Dispose();
        using var again = Indexer.Open(dir.Path);
        Assert.Equal("english", again.Metadata.Analyzer);
    }

    [Fact]
    public void FailureMidImportKeepsCommittedBatchesOnlyAndRerunCompletes()
    {
        using var dir = new TempDirectory();
        var corpus = dir.File("corpus.jsonl", string.Concat(Enumerable.Range(1, 25).Select(i =>
            i == 18 ? "{\"_id\": \"d18\", \"text\": broken}\n" : $"{{\"_id\": \"d{i}\", \"text\": \"word{i} common\"}}\n")));
        var index = dir.Combine("index");
        using (var writer = Indexer.Open(index, new IndexerOptions { BatchSize = 5 }))
        {
            var error = Assert.Throws<DataFormatException>(() => writer.Import(corpus));
            Assert.Equal(18L, error.Line);
        }
        using (var searcher = Searcher.Open(index))
        {
            // Batches d1-d5, d6-d10, d11-d15 committed; d16 and d17 were in the failing batch.
            Assert.Equal(15, searcher.DocumentCount);
            Assert.NotNull(searcher.GetDocument("d15"));
            Assert.Null(searcher.GetDocument("d16"));
            Assert.Equal(15, searcher.Search("common", 100).Count);
        }
        File.WriteAllText(corpus, File.ReadAllText(corpus).Replace("broken", "\"fixed\""));
        using (var writer = Indexer.Open(index, new IndexerOptions { BatchSize = 5 }))
        {
            // The file changed, so nothing is resumed: every document is read again.
            var summary = writer.Import(corpus);
            Assert.Equal((10L, 15L, 0L), (summary.Added, summary.Updated, summary.Resumed));
        }
        using var complete = Searcher.Open(index);
        Assert.Equal(25, complete.DocumentCount);
        Assert.Equal(24, complete.Search("common", 100).Count); // the repaired d18 reads just "fixed"
        Assert.Equal("d18", Assert.Single(complete.Search("fixed", 100)).DocId);
        AssertCheckIndexClean(index);
    }

    [Fact]
    public void AnInterruptedImportOfTheSameFileResumesAfterItsLastCommit()
    {
        using var dir = new TempDirectory();
        var corpus = dir.File("corpus.tsv", string.Concat(Enumerable.Range(0, 50).Select(i => $"d{i}\tword{i} common\n")));
        var index = dir.Combine("index");
        using (var writer = Indexer.Open(index, new IndexerOptions { BatchSize = 10 }))
        {
            using var cancel = new CancellationTokenSource();
            var progress = new DirectProgress<ImportProgress>(p => { if (p.Batches == 2 && p.Committed == p.Documents) cancel.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => writer.Import(corpus, progress, cancel.Token));
        }
        using (var writer = Indexer.Open(index, new IndexerOptions { BatchSize = 10 }))
        {
            var resumed = writer.Import(corpus);
            Assert.Equal((20L, 30L, 0L, 3), (resumed.Resumed, resumed.Added, resumed.Updated, resumed.Batches));
            // Finished now, and unchanged since (e.g. a re-run after a crash in the merge that follows): nothing to do.
            var again = writer.Import(corpus);
            Assert.True(again.AlreadyImported);
            Assert.Equal((50L, 0L, 0L, 0), (again.Resumed, again.Added, again.Updated, again.Batches));
            // A change outside the import makes the index differ from the file: the next import re-reads all of it.
            writer.Delete("d3");
            var afterDelete = writer.Import(corpus);
            Assert.False(afterDelete.AlreadyImported);
            Assert.Equal((0L, 1L, 49L), (afterDelete.Resumed, afterDelete.Added, afterDelete.Updated));
        }
        using var searcher = Searcher.Open(index);
        Assert.Equal(50, searcher.DocumentCount);
        Assert.Equal(50, searcher.Search("common", 100).Count);
    }

    [Fact]
    public void InvalidDocumentAbandonsItsWholeBatchAndTheWriterStaysUsable()
    {
        using var dir = new TempDirectory();
        using (var writer = Indexer.Open(dir.Path, new IndexerOptions { BatchSize = 3 }))
        {
            writer.Write([Doc("a", "one")]);
            // An id with whitespace is rejected while the second batch is being collected.
            Assert.Throws<ArgumentException>(() => writer.Write([Doc("b", "two"), Doc("c", "three"), Doc("x y", "bad")]));
            Assert.Throws<ArgumentException>(() => writer.Write([Doc("", "empty id")]));
            writer.Write([Doc("z", "last")]);
        }
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(2, searcher.DocumentCount);
        Assert.Empty(searcher.Search("two", 10));
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        using var dir = new TempDirectory();
        using (var writer = Indexer.Open(dir.Path, new IndexerOptions { BatchSize = 2 }))
        {
            using var cancel = new CancellationTokenSource();
            var progress = new DirectProgress<ImportProgress>(p => { if (p.Batches == 2 && p.Committed == p.Documents) cancel.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() =>
                writer.Write(Enumerable.Range(0, 10).Select(i => Doc($"d{i}", "text")), progress, cancel.Token));
        }
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(4, searcher.DocumentCount);
    }

    [Fact]
    public void AnalyzerIsFixedAtCreationAndK1BDefaultsAreRecordedInTheCommit()
    {
        using var dir = new TempDirectory();
        using (Indexer.Open(dir.Path, new IndexerOptions { Analyzer = "lowercase", K1 = 1.2, B = 0.75 })) { }
        var error = Assert.Throws<SearchException>(() => Indexer.Open(dir.Path, new IndexerOptions { Analyzer = "english" }));
        Assert.Contains("built with analyzer 'lowercase'", error.Message);
        using (var searcher = Searcher.Open(dir.Path))
        {
            Assert.Equal(new IndexMetadata("lowercase", 1.2, 0.75), searcher.Metadata);
            Assert.Equal("BM25(k1=1.2,b=0.75)", searcher.ToString());
        }
        using (var fs = FSDirectory.Open(dir.Path))
        {
            var data = DirectoryReader.ListCommits(fs)[^1].UserData;
            Assert.Equal(("lowercase", "1.2", "0.75"), (data["searchrerank.analyzer"], data["searchrerank.bm25.k1"], data["searchrerank.bm25.b"]));
        }
        using (Indexer.Open(dir.Path, new IndexerOptions { K1 = 0.9 })) { }
        using var changed = Searcher.Open(dir.Path);
        Assert.Equal(new IndexMetadata("lowercase", 0.9, 0.75), changed.Metadata);
    }

    [Fact]
    public void RejectsInvalidOptionsBeforeCreatingAnything()
    {
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "idx");
        Assert.Throws<ArgumentException>(() => Indexer.Open(target, new IndexerOptions { Analyzer = "klingon" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Indexer.Open(target, new IndexerOptions { B = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Indexer.Open(target, new IndexerOptions { K1 = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Indexer.Open(target, new IndexerOptions { BatchSize = 0 }));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void DeletedDocumentsCountInBm25UntilOptimizeMergesThemAway()
    {
        using var dir = new TempDirectory();
        var documents = Enumerable.Range(0, 100).Select(i => Doc($"d{i}", $"alpha beta{i % 10} gamma{i % 3}")).ToList();
        using var fresh = SearcherTests.Build(documents.Where(d => d.Id != "d7").Select(d => d.Id == "d3" ? Doc("d3", "alpha delta") : d));
        using (var writer = Indexer.Open(dir.Path, new IndexerOptions { BatchSize = 30 }))
        {
            writer.Write(documents);
            writer.Write(Doc("d3", "alpha delta"));
            writer.Delete("d7");
        }
        IReadOnlyList<Hit> Query(string path)
        {
            using var searcher = Searcher.Open(path, new SearchOptions { IncludeContent = false });
            return searcher.Search("alpha beta3 delta gamma2", 50);
        }
        using (var searcher = Searcher.Open(dir.Path))
        {
            var stats = searcher.GetStatistics();
            Assert.Equal((99L, 2L), (stats.DocumentCount, stats.DeletedDocuments));
            Assert.True(stats.Segments > 1);
        }
        Assert.NotEqual(Query(fresh.Path).Select(h => h.Score), Query(dir.Path).Select(h => h.Score));

        using (var writer = Indexer.Open(dir.Path))
            writer.Optimize();
        using (var searcher = Searcher.Open(dir.Path))
        {
            var stats = searcher.GetStatistics();
            Assert.Equal((99L, 0L, 1), (stats.DocumentCount, stats.DeletedDocuments, stats.Segments));
            Assert.Equal(15, stats.Terms); // alpha, beta0-9, gamma0-2, delta
        }
        Assert.Equal(Query(fresh.Path), Query(dir.Path));
        AssertCheckIndexClean(dir.Path);
    }

    [Fact]
    public void TitleAndTextAreStoredRaw()
    {
        using var dir = new TempDirectory();
        using (var writer = Indexer.Open(dir.Path))
            writer.Write(new CorpusDocument("p1", "The Title's Case!", "Raw   text, kept\tas is."));
        using var searcher = Searcher.Open(dir.Path);
        var hit = Assert.Single(searcher.Search("title", 5));
        Assert.Equal(("The Title's Case!", "Raw   text, kept\tas is."), (hit.Title, hit.Text));
    }
}
