using SearchRerank.Evaluation;
using SearchRerank.Evaluation.Metrics;
using SearchRerank.Search.Index;
using SearchRerank.Search.Tests.Index;
using SearchRerank.Core;

namespace SearchRerank.Search.Tests;

public class SearcherTests
{
    private static readonly Document[] Corpus =
    [
        new("d1", "Cats", "the cat sat on the mat"),
        new("d2", "", "dogs chase cats and cats chase mice"),
        new("d3", "Birds", "birds sing in the morning"),
        new("d4", "", "a dog and a bird"),
        new("d5", "Mats", "mats and rugs for sale"),
    ];

    private static TempDirectory Build(IEnumerable<Document> documents, IndexWriterOptions? options = null)
    {
        var dir = new TempDirectory();
        using var writer = IndexWriter.Open(dir.Path, options);
        writer.Write(documents);
        return dir;
    }

    /// <summary>BM25 computed independently of the index, over the analyzed single field title + " " + text.</summary>
    private static Dictionary<string, double> ReferenceScores(IReadOnlyList<Document> documents, string query, double k1, double b)
    {
        var analyzer = new SearchRerank.Search.Analysis.EnglishAnalyzer();
        var fields = documents.ToDictionary(d => d.Id, d => analyzer.Analyze(d.Title).Concat(analyzer.Analyze(d.Text)).ToList());
        var avgdl = fields.Values.Average(f => f.Count);
        var scores = new Dictionary<string, double>();
        foreach (var term in analyzer.Analyze(query))
        {
            var df = fields.Values.Count(f => f.Contains(term));
            if (df == 0)
                continue;
            var idf = Math.Log(1 + (documents.Count - df + 0.5) / (df + 0.5));
            foreach (var (id, terms) in fields)
            {
                var tf = terms.Count(t => t == term);
                if (tf > 0)
                    scores[id] = scores.GetValueOrDefault(id) + idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * terms.Count / avgdl));
            }
        }
        return scores;
    }

    [Theory]
    [InlineData("cat", 0.9, 0.4)]
    [InlineData("cats chasing dogs", 0.9, 0.4)]
    [InlineData("mat bird", 1.2, 0.75)]
    [InlineData("cat cat mat", 0.9, 0.4)]
    public void ScoresEqualAnIndependentBm25(string query, double k1, double b)
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { K1 = k1, B = b });
        var expected = ReferenceScores(Corpus, query, k1, b);
        var hits = searcher.Search(query, 10);
        Assert.Equal(expected.Count, hits.Count);
        foreach (var hit in hits)
            Assert.Equal(expected[hit.DocId], hit.Score, 10);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void ExplainAddsUpToTheSearchScoreAndStatesTheFormula()
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { TitleWeight = 2 });
        foreach (var hit in searcher.Search("cats chase mats", 10))
        {
            var explanation = searcher.Explain("cats chase mats", hit.DocId)!;
            Assert.Equal(hit.Score, explanation.Value, 10);
            Assert.Contains("idf = ln(1 + (N − df + 0.5) / (df + 0.5))", explanation.ToString());
        }
        Assert.Null(searcher.Explain("cat", "no-such-doc"));
        Assert.Equal(0, searcher.Explain("zebra", "d1")!.Value);
    }

    [Fact]
    public void TiesBreakByDocumentIdDescendingAndKTruncates()
    {
        var twins = Enumerable.Range(0, 6).Select(i => new Document($"t{i}", "", "same words here")).ToArray();
        using var dir = Build(twins);
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(["t5", "t4", "t3"], searcher.Search("words", 3).Select(h => h.DocId));
        Assert.Equal(6, searcher.Search("words", 100).Count);
        Assert.Empty(searcher.Search("words", 0));
        Assert.Empty(searcher.Search("words", -5));
        Assert.Equal(6, searcher.Search("words", int.MaxValue).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("the and of")]
    [InlineData("!!! ???")]
    public void EmptyOrStopwordOnlyQueriesReturnNothing(string query)
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path);
        Assert.Empty(searcher.Search(query, 10));
    }

    public static TheoryData<string> HostileQueries => new()
    {
        "\"cat", "cat\"", "\"\"\"", "cat NEAR mat", "NEAR(cat mat, 2)", "cat*", "*", "^cat", "title:cat", "text : mat",
        "cat AND NOT mat", "(cat OR", ")", "-cat", "+cat", "{title text}: cat", "cat\0mat", "\0", "'; DROP TABLE docs; --",
        new string('x', 100_000), string.Join(' ', Enumerable.Repeat("cat", 20_000)), "cat\uD800mat",
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public void FtsSyntaxInUserTextIsInertInBothRankings(string query)
    {
        using var dir = Build(Corpus);
        foreach (var ranking in new[] { RankingFunction.Bm25, RankingFunction.Fts5Bm25 })
        {
            using var searcher = Searcher.Open(dir.Path, new SearchOptions { Ranking = ranking });
            var hits = searcher.Search(query, 10);
            var plain = searcher.Search(string.Join(' ', new SearchRerank.Search.Analysis.EnglishAnalyzer().Analyze(query)), 10);
            Assert.Equal(plain.Select(h => h.DocId), hits.Select(h => h.DocId));
            Assert.Equal(5, searcher.DocumentCount);
        }
    }

    [Fact]
    public void Fts5RankingFindsTheSameMatchesWithItsOwnScores()
    {
        using var dir = Build(Corpus);
        using var own = Searcher.Open(dir.Path);
        using var fts = Searcher.Open(dir.Path, new SearchOptions { Ranking = RankingFunction.Fts5Bm25 });
        var a = own.Search("cat bird", 10).Select(h => h.DocId).Order();
        var b = fts.Search("cat bird", 10).Select(h => h.DocId).Order();
        Assert.Equal(a, b);
        Assert.Equal("FTS5-bm25", fts.ToString());
    }

    [Fact]
    public void TitleWeightCountsTitleOccurrencesMore()
    {
        var docs = new[] { new Document("x", "mat", "floor"), new Document("y", "", "mat floor") };
        using var dir = Build(docs);
        using var flat = Searcher.Open(dir.Path);
        var flatHits = flat.Search("mat", 2);
        Assert.Equal(flatHits[0].Score, flatHits[1].Score, 12);
        using var weighted = Searcher.Open(dir.Path, new SearchOptions { TitleWeight = 3 });
        Assert.Equal("x", weighted.Search("mat", 2)[0].DocId);
        Assert.Equal("BM25(k1=0.9,b=0.4,title=3)", weighted.ToString());
    }

    [Fact]
    public void SearchAllWritesEveryQueryInInputOrderUsingParallelWorkers()
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { IncludeContent = false });
        var queries = Enumerable.Range(0, 50).Select(i => new Query($"q{i}", i % 2 == 0 ? "cat mat" : "bird")).Append(new Query("empty", "the")).ToList();
        var reports = 0;
        var run = searcher.SearchAll(queries, 3, new SyncProgress<SearchProgress>(_ => Interlocked.Increment(ref reports)));
        Assert.Equal(51, reports);
        Assert.Equal(queries.Take(50).Select(q => q.Id), run.QueryIds);
        Assert.Equal(searcher.Search("cat mat", 3).Select(h => h.DocId), run.Ranked("q0").Select(e => e.DocId));
        Assert.Equal("BM25(k1=0.9,b=0.4)", run.Name);
    }

    [Fact]
    public async Task ReadersSeeWholeBatchesWhileAWriterCommits()
    {
        using var dir = new TempDirectory();
        using var writer = IndexWriter.Open(dir.Path, new IndexWriterOptions { BatchSize = 10 });
        writer.Write([new Document("seed", "", "shared")]);
        using var searcher = Searcher.Open(dir.Path);
        using var stop = new CancellationTokenSource();
        var counts = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var started = new CountdownEvent(2);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            counts.Add(searcher.Search("shared", 1000).Count);
            started.Signal();
            while (!stop.IsCancellationRequested)
                counts.Add(searcher.Search("shared", 1000).Count);
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "readers did not start");
        for (var batch = 0; batch < 20; batch++)
            writer.Write(Enumerable.Range(batch * 10, 10).Select(i => new Document($"d{i}", "", $"shared word{i}")));
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.NotEmpty(counts);
        Assert.All(counts, c => Assert.Equal(1, c % 10));
        Assert.Equal(201, searcher.Search("shared", 1000).Count);
        Assert.Equal(201, searcher.DocumentCount);
    }

    [Fact]
    public void DocumentsStreamsEveryStoredDocumentInIndexOrder()
    {
        using var dir = Build(Corpus);
        using (var writer = IndexWriter.Open(dir.Path))
        {
            writer.Write(new Document("d2", "Updated", "keeps its place"));
            writer.Delete("d4");
        }
        using var searcher = Searcher.Open(dir.Path);
        var all = searcher.Documents().ToList();
        Assert.Equal(["d1", "d2", "d3", "d5"], all.Select(d => d.Id));
        Assert.Equal(new Document("d2", "Updated", "keeps its place"), all[1]);
    }

    [Fact]
    public void OpenFailsClearlyWithoutAnIndex()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<SearchException>(() => Searcher.Open(dir.Path));
        Assert.Contains(dir.Path, error.Message);
        Assert.Contains("no index", error.Message);
    }

    [Fact]
    public void ScifactTestSplitMatchesAnseriniQuality()
    {
        using var dir = Build(CorpusReader.Read(TestPaths.SharedData("scifact", "corpus.jsonl")));
        var qrels = QrelsReader.Read(TestPaths.SharedData("scifact", "qrels", "test.tsv"));
        var queries = QueriesReader.Read(TestPaths.SharedData("scifact", "queries.jsonl")).Where(q => qrels.Contains(q.Id)).ToList();
        Assert.Equal(300, queries.Count);
        var evaluator = new Evaluator(MetricParser.ParseList("ndcg_cut_10,recall_100"));
        using var plain = Searcher.Open(dir.Path, new SearchOptions { IncludeContent = false });
        var result = evaluator.Evaluate(plain.SearchAll(queries, 1000), qrels);
        // Anserini BM25 flat: nDCG@10 0.6789, R@100 0.9253 (Lucene-rounded lengths; ours are exact by default).
        Assert.InRange(result.Mean("ndcg_cut_10"), 0.670, 0.690);
        Assert.InRange(result.Mean("recall_100"), 0.915, 0.935);
        using var lucene = Searcher.Open(dir.Path, new SearchOptions { IncludeContent = false, LuceneLengths = true });
        var rounded = evaluator.Evaluate(lucene.SearchAll(queries, 1000), qrels);
        // With Lucene's rounded lengths the numbers are Anserini's to the published four decimals.
        Assert.Equal(0.9253, rounded.Mean("recall_100"), 4);
        Assert.Equal(0.6789, rounded.Mean("ndcg_cut_10"), 4);
    }
}
