using SearchRerank.Search.Index;
using SearchRerank.Core;

namespace SearchRerank.Search.Tests.Index;

public class IndexWriterTests
{
    private static Document Doc(string id, string text, string title = "") => new(id, title, text);

    [Fact]
    public void CountsAddedUpdatedDuplicatesAndDeleted()
    {
        using var dir = new TempDirectory();
        using (var writer = IndexWriter.Open(dir.Path, new IndexWriterOptions { BatchSize = 2 }))
        {
            var first = writer.Write([Doc("a", "apple"), Doc("b", "banana"), Doc("c", "cherry")]);
            Assert.Equal((3L, 0L, 0L, 2), (first.Added, first.Updated, first.Duplicates, first.Batches));
            var second = writer.Write([Doc("a", "apricot"), Doc("d", "date"), Doc("d", "dragonfruit")]);
            Assert.Equal((1L, 1L, 1L), (second.Added, second.Updated, second.Duplicates));
            Assert.Equal(1, writer.Delete(["b", "zzz"]).Deleted);
            Assert.False(writer.Delete("b"));
        }
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(3, searcher.DocumentCount);
        Assert.Equal("apricot", searcher.GetDocument("a")!.Text);
        Assert.Equal("dragonfruit", searcher.GetDocument("d")!.Text);
        Assert.Null(searcher.GetDocument("b"));
        Assert.Empty(searcher.Search("apple", 10));
        Assert.Empty(searcher.Search("banana", 10));
        Assert.Empty(searcher.Search("date", 10));
        Assert.Equal(["a"], searcher.Search("apricot", 10).Select(h => h.DocId));
        var stats = searcher.GetStatistics();
        Assert.Equal(1.0, stats.AverageTextLength, 12);
        Assert.Equal(3, stats.VocabularySize); // apricot, cherri, dragonfruit
    }

    [Fact]
    public void SecondWriterFailsClearlyWhileTheFirstIsOpen()
    {
        using var dir = new TempDirectory();
        using var first = IndexWriter.Open(dir.Path);
        var error = Assert.Throws<SearchException>(() => IndexWriter.Open(dir.Path));
        Assert.Equal($"index {dir.Path} is being written by another process", error.Message);
        first.Dispose();
        using var again = IndexWriter.Open(dir.Path);
        Assert.Equal("english", again.Metadata.Analyzer);
    }

    [Fact]
    public void FailureMidImportKeepsCommittedBatchesOnlyAndRerunCompletes()
    {
        using var dir = new TempDirectory();
        var corpus = dir.File("corpus.jsonl", string.Concat(Enumerable.Range(1, 25).Select(i =>
            i == 18 ? "{\"_id\": \"d18\", \"text\": broken}\n" : $"{{\"_id\": \"d{i}\", \"text\": \"word{i} common\"}}\n")));
        using (var writer = IndexWriter.Open(dir.Path, new IndexWriterOptions { BatchSize = 5 }))
        {
            var error = Assert.Throws<DataFormatException>(() => writer.Write(CorpusReader.Read(corpus)));
            Assert.Equal(18L, error.Line);
        }
        using (var searcher = Searcher.Open(dir.Path))
        {
            // Batches d1-d5, d6-d10, d11-d15 committed; d16 and d17 were in the failing batch.
            Assert.Equal(15, searcher.DocumentCount);
            Assert.NotNull(searcher.GetDocument("d15"));
            Assert.Null(searcher.GetDocument("d16"));
            Assert.Equal(15, searcher.Search("common", 100).Count);
        }
        File.WriteAllText(corpus, File.ReadAllText(corpus).Replace("broken", "\"fixed\""));
        using (var writer = IndexWriter.Open(dir.Path, new IndexWriterOptions { BatchSize = 5 }))
        {
            var summary = writer.Write(CorpusReader.Read(corpus));
            Assert.Equal((10L, 15L), (summary.Added, summary.Updated));
        }
        using var complete = Searcher.Open(dir.Path);
        Assert.Equal(25, complete.DocumentCount);
        Assert.Equal(24, complete.Search("common", 100).Count); // the repaired d18 reads just "fixed"
        Assert.Equal("d18", Assert.Single(complete.Search("fixed", 100)).DocId);
    }

    [Fact]
    public void InvalidDocumentAbandonsItsWholeBatch()
    {
        using var dir = new TempDirectory();
        using var writer = IndexWriter.Open(dir.Path, new IndexWriterOptions { BatchSize = 3 });
        writer.Write([Doc("a", "one")]);
        // An id with whitespace is rejected while the second batch is being collected.
        Assert.Throws<ArgumentException>(() => writer.Write([Doc("b", "two"), Doc("c", "three"), Doc("x y", "bad")]));
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(1, searcher.DocumentCount);
        Assert.Empty(searcher.Search("two", 10));
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        using var dir = new TempDirectory();
        using var writer = IndexWriter.Open(dir.Path, new IndexWriterOptions { BatchSize = 2 });
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress<ImportProgress>(p => { if (p.Batches == 2) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() =>
            writer.Write(Enumerable.Range(0, 10).Select(i => Doc($"d{i}", "text")), progress, cancel.Token));
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(4, searcher.DocumentCount);
    }

    [Fact]
    public void AnalyzerIsFixedAtCreationAndK1BDefaultsAreStored()
    {
        using var dir = new TempDirectory();
        using (IndexWriter.Open(dir.Path, new IndexWriterOptions { Analyzer = "lowercase", K1 = 1.2, B = 0.75 })) { }
        var error = Assert.Throws<SearchException>(() => IndexWriter.Open(dir.Path, new IndexWriterOptions { Analyzer = "english" }));
        Assert.Contains("built with analyzer 'lowercase'", error.Message);
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal("lowercase", searcher.Analyzer.Name);
        Assert.Equal("BM25(k1=1.2,b=0.75)", searcher.ToString());
    }

    [Fact]
    public void RejectsInvalidOptionsBeforeCreatingAnything()
    {
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "idx");
        Assert.Throws<ArgumentException>(() => IndexWriter.Open(target, new IndexWriterOptions { Analyzer = "klingon" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexWriter.Open(target, new IndexWriterOptions { B = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexWriter.Open(target, new IndexWriterOptions { BatchSize = 0 }));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void OptimizeKeepsResultsAndTheFtsIndexPassesItsIntegrityCheck()
    {
        using var dir = new TempDirectory();
        using var writer = IndexWriter.Open(dir.Path, new IndexWriterOptions { BatchSize = 7 });
        writer.Write(Enumerable.Range(0, 100).Select(i => Doc($"d{i}", $"alpha beta{i % 10} gamma{i % 3}")));
        writer.Write(Enumerable.Range(0, 30).Select(i => Doc($"d{i * 3}", $"alpha delta{i % 4}")));
        writer.Delete(Enumerable.Range(0, 10).Select(i => $"d{i * 7}"));
        IReadOnlyList<Hit> Query()
        {
            using var searcher = Searcher.Open(dir.Path);
            return searcher.Search("alpha beta3 delta1 gamma2", 50);
        }
        var before = Query();
        writer.Optimize();
        Assert.Equal(before, Query());
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir.Path, "index.sqlite")};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        // FTS5 compares its index with the document sizes it recorded; a mismatch raises SQLITE_CORRUPT_VTAB.
        check.CommandText = "INSERT INTO terms(terms, rank) VALUES ('integrity-check', 0)";
        check.ExecuteNonQuery();
    }

    [Fact]
    public void TitleAndTextAreStoredRaw()
    {
        using var dir = new TempDirectory();
        using (var writer = IndexWriter.Open(dir.Path))
            writer.Write(new Document("p1", "The Title's Case!", "Raw   text, kept\tas is."));
        using var searcher = Searcher.Open(dir.Path);
        var hit = Assert.Single(searcher.Search("title", 5));
        Assert.Equal(("The Title's Case!", "Raw   text, kept\tas is."), (hit.Title, hit.Text));
    }
}

/// <summary>Calls back on the reporting thread, unlike System.Progress.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
