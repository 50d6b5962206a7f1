using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;
using SearchRerank.Search.Analysis;
using SearchRerank.Search.Index;

namespace SearchRerank.Search.Tests;

public class SearcherTests
{
    private static readonly CorpusDocument[] Corpus =
    [
        new("d1", "Cats", "the cat sat on the mat"),
        new("d2", "", "dogs chase cats and cats chase mice"),
        new("d3", "Birds", "birds sing in the morning"),
        new("d4", "", "a dog and a bird"),
        new("d5", "Mats", "mats and rugs for sale"),
    ];

    internal static TempDirectory Build(IEnumerable<CorpusDocument> documents, IndexerOptions? options = null)
    {
        var dir = new TempDirectory();
        using var writer = Indexer.Open(dir.Path, options);
        writer.Write(documents);
        return dir;
    }

    /// <summary>
    /// BM25 as Lucene 4.8 defines it, computed here from the analysed single field title + " " + text: idf with N =
    /// documents, the (k1 + 1) factor, and document lengths read back from Lucene's one-byte norm (1/√length, 3-bit
    /// mantissa) the way BM25Similarity decodes them.
    /// </summary>
    private static Dictionary<string, double> ReferenceScores(IReadOnlyList<CorpusDocument> documents, string query, double k1, double b)
    {
        var analyzer = Analyzers.Create(Analyzers.English);
        var fields = documents.ToDictionary(d => d.Id, d => Analyzers.Terms(analyzer, "contents", CorpusDocument.TitleAndText(d.Title, d.Text)));
        var avgdl = (double)fields.Values.Sum(f => f.Count) / documents.Count;
        static double Quantized(int length)
        {
            var f = SmallSingle.Byte315ToSingle(SmallSingle.SingleToByte315(1 / MathF.Sqrt(length)));
            return 1 / (f * f);
        }
        var scores = new Dictionary<string, double>();
        foreach (var group in Analyzers.Terms(analyzer, "contents", query).GroupBy(t => t))
        {
            var df = fields.Values.Count(f => f.Contains(group.Key));
            if (df == 0)
                continue;
            var idf = Math.Log(1 + (documents.Count - df + 0.5) / (df + 0.5));
            foreach (var (id, terms) in fields)
            {
                var tf = terms.Count(t => t == group.Key);
                if (tf > 0)
                    scores[id] = scores.GetValueOrDefault(id)
                                 + group.Count() * idf * (k1 + 1) * tf / (tf + k1 * (1 - b + b * Quantized(terms.Count) / avgdl));
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
            Assert.Equal(expected[hit.DocId], hit.Score, 4);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal($"BM25(k1={(float)k1},b={(float)b})", searcher.ToString());
    }

    [Fact]
    public void ExplainIsLucenesTreeAndAddsUpToTheScore()
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path);
        foreach (var hit in searcher.Search("cats chase mats", 10))
        {
            var explanation = searcher.Explain("cats chase mats", hit.DocId)!;
            Assert.Equal(hit.Score, explanation.Value, 5);
            Assert.Contains("idf", explanation.ToString());
            Assert.Contains("tfNorm", explanation.ToString());
        }
        Assert.Null(searcher.Explain("cat", "no-such-doc"));
        Assert.Equal(0, searcher.Explain("zebra", "d1")!.Value);
        Assert.Equal(0, searcher.Explain("the", "d1")!.Value);
    }

    [Fact]
    public void TiesBreakByDocumentIdDescendingWhateverTheIndexingOrder()
    {
        var twins = new[] { "t3", "t0", "t5", "t1", "t4", "t2" }.Select(id => new CorpusDocument(id, "", "same words here")).ToArray();
        using var dir = Build(twins);
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(["t5", "t4", "t3"], searcher.Search("words", 3).Select(h => h.DocId));
        Assert.Equal(6, searcher.Search("words", 100).Count);
        Assert.Equal(6, searcher.Search("words", int.MaxValue).Count);
        var run = searcher.SearchAll([new Topic("q", "words")], 2);
        Assert.Equal(["t5", "t4"], run.Ranked("q").Select(e => e.DocId));
    }

    [Fact]
    public void TiesFollowUtf8OrderAcrossSegmentsAndUpdates()
    {
        // UTF-8 byte order (trec_eval's strcmp) puts U+1D538 (a surrogate pair in UTF-16) after U+FFFD; UTF-16 ordinal
        // order would not. Three commits of one document each make three segments; "z" is replaced, so a deleted copy
        // with the same id stays in an older segment.
        using var dir = new TempDirectory();
        using (var writer = Indexer.Open(dir.Path, new IndexerOptions { BatchSize = 1 }))
        {
            writer.Write(new[] { "z", "\uFFFD", "é", "\U0001D538", "a" }.Select(id => new CorpusDocument(id, "", "same words here")));
            writer.Write(new CorpusDocument("z", "", "same words here"));
        }
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(["\U0001D538", "\uFFFD", "é", "z", "a"], searcher.Search("words", 10).Select(h => h.DocId));
        Assert.Equal(["\U0001D538", "\uFFFD"], searcher.Search("words", 2).Select(h => h.DocId));
        var run = searcher.SearchAll([new Topic("q", "words")], 10);
        Assert.Equal(["\U0001D538", "\uFFFD", "é", "z", "a"], run.Ranked("q").Select(e => e.DocId));
    }

    [Fact]
    public void KBelowOneIsAnError()
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => searcher.Search("cat", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => searcher.Search("cat", -5));
        Assert.Throws<ArgumentOutOfRangeException>(() => searcher.SearchAll([new Topic("q", "cat")], 0));
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
        Assert.Null(searcher.ParseQuery(query));
        Assert.Empty(searcher.Search(query, 10));
        using var lucene = Searcher.Open(dir.Path, new SearchOptions { Syntax = QuerySyntax.Lucene });
        if (query != "!!! ???") // '!' is Lucene's NOT operator: a syntax error there
            Assert.Empty(lucene.Search(query, 10));
    }

    public static TheoryData<string> HostileQueries => new()
    {
        "\"cat", "cat\"", "\"\"\"", "cat NEAR mat", "NEAR(cat mat, 2)", "cat*", "*", "?at", "^cat", "title:cat", "text : mat",
        "cat AND NOT mat", "(cat OR", ")", "-cat", "+cat", "cat~2", "cat^3", "[a TO z]", "{title text}: cat", "cat && mat || !bird",
        "/reg.*ex/", "\\", "cat\0mat", "\0", "'; DROP TABLE docs; --", new string('x', 100_000),
        string.Join(' ', Enumerable.Repeat("cat", 20_000)), "cat\uD800mat",
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public void SyntaxCharactersInFreeTextAreInert(string query)
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path);
        var hits = searcher.Search(query, 10);
        var plain = searcher.Search(string.Join(' ', Analyzers.Terms(searcher.Analyzer, "contents", query)) + " ", 10);
        Assert.Equal(plain.Select(h => h.DocId), hits.Select(h => h.DocId));
        Assert.Equal(5, searcher.DocumentCount);
    }

    [Fact]
    public void LuceneSyntaxSupportsPhrasesFieldsAndOperatorsAndReportsErrorsOnOneLine()
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { Syntax = QuerySyntax.Lucene });
        Assert.Equal(["d2"], searcher.Search("\"chase cats\"", 10).Select(h => h.DocId));
        Assert.Equal(["d1"], searcher.Search("+cat -dog", 10).Select(h => h.DocId));
        Assert.Equal(["d4"], searcher.Search("dog AND bird", 10).Select(h => h.DocId));
        Assert.Equal(["d5"], searcher.Search("id:d5", 10).Select(h => h.DocId));
        Assert.Equal("d1", searcher.Search("cat^5 mat", 10)[0].DocId);
        foreach (var bad in new[] { "(cat OR", "\"cat", "*cat", "cat AND", "[a TO" })
        {
            var error = Assert.Throws<QueryException>(() => searcher.Search(bad, 10));
            Assert.StartsWith("query syntax: ", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Fact]
    public void SimilarityIsAStrategy()
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { Similarity = new LMDirichletSimilarity(100) });
        var hits = searcher.Search("cat mat", 10);
        Assert.Equal(["d1", "d2", "d5"], hits.Select(h => h.DocId).Order());
        Assert.StartsWith("LM Dirichlet", searcher.ToString());
        Assert.Throws<ArgumentException>(() => Searcher.Open(dir.Path, new SearchOptions { Similarity = new LMDirichletSimilarity(), K1 = 1 }));
    }

    [Fact]
    public void SearchAllWritesEveryQueryInInputOrderUsingParallelWorkers()
    {
        using var dir = Build(Corpus);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { IncludeContent = false });
        var queries = Enumerable.Range(0, 50).Select(i => new Topic($"q{i}", i % 2 == 0 ? "cat mat" : "bird")).Append(new Topic("empty", "the")).ToList();
        var reports = 0;
        var run = searcher.SearchAll(queries, 3, new DirectProgress<SearchProgress>(_ => Interlocked.Increment(ref reports)));
        Assert.Equal(51, reports);
        Assert.Equal(queries.Take(50).Select(q => q.Id), run.QueryIds);
        Assert.Equal(searcher.Search("cat mat", 3).Select(h => h.DocId), run.Ranked("q0").Select(e => e.DocId));
        Assert.Equal("BM25(k1=0.9,b=0.4)", run.Name);
    }

    [Fact]
    public void HitsCarryTheStoredTitleAndTextUnlessAskedNotTo()
    {
        using var dir = Build(Corpus);
        using (var searcher = Searcher.Open(dir.Path))
            Assert.Equal(new Hit("d3", searcher.Search("morning", 1)[0].Score, "Birds", "birds sing in the morning"), searcher.Search("morning", 1)[0]);
        using var idsOnly = Searcher.Open(dir.Path, new SearchOptions { IncludeContent = false });
        Assert.Equal(("d3", "", ""), idsOnly.Search("morning", 1).Select(h => (h.DocId, h.Title, h.Text)).Single());
    }

    [Fact]
    public void DocumentsStreamsEveryLiveDocumentOnce()
    {
        using var dir = Build(Corpus);
        using (var writer = Indexer.Open(dir.Path))
        {
            writer.Write(new CorpusDocument("d2", "Updated", "replaces the old d2"));
            writer.Delete("d4");
        }
        using var searcher = Searcher.Open(dir.Path);
        var all = searcher.Documents().ToList();
        Assert.Equal(["d1", "d2", "d3", "d5"], all.Select(d => d.Id).Order());
        Assert.Equal(new CorpusDocument("d2", "Updated", "replaces the old d2"), all.Single(d => d.Id == "d2"));
        Assert.Equal(new CorpusDocument("d3", "Birds", "birds sing in the morning"), searcher.GetDocument("d3"));
        Assert.Null(searcher.GetDocument("d4"));
    }

    [Fact]
    public void WrongFoldersFailWithOneLineSayingWhatTheyHold()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<SearchException>(() => Searcher.Open(dir.Combine("nope")));
        Assert.Contains("does not exist", missing.Message);
        var empty = Assert.Throws<SearchException>(() => Searcher.Open(dir.Path));
        Assert.Contains($"no index in {dir.Path}: the folder is empty", empty.Message);

        var old = Directory.CreateDirectory(dir.Combine("old")).FullName;
        File.WriteAllText(Path.Combine(old, "index.sqlite"), "SQLite format 3");
        var sqlite = Assert.Throws<SearchException>(() => Searcher.Open(old));
        Assert.Contains("old SQLite format", sqlite.Message);
        Assert.Contains("searchrerank index --corpus FILE", sqlite.Message);
        Assert.Contains("old SQLite format", Assert.Throws<SearchException>(() => Indexer.Open(old)).Message);

        var other = Directory.CreateDirectory(dir.Combine("other")).FullName;
        File.WriteAllText(Path.Combine(other, "notes.txt"), "hello");
        Assert.Contains("is not an index", Assert.Throws<SearchException>(() => Searcher.Open(other)).Message);
        Assert.Contains("is not empty and holds no index", Assert.Throws<SearchException>(() => Indexer.Open(other)).Message);

        var foreign = dir.Combine("foreign");
        using (var fs = Lucene.Net.Store.FSDirectory.Open(foreign))
        using (var lucene = new Lucene.Net.Index.IndexWriter(fs, new Lucene.Net.Index.IndexWriterConfig(LuceneVersion.LUCENE_48, Analyzers.Create("english"))))
            lucene.Commit();
        Assert.Contains("SearchRerank did not build", Assert.Throws<SearchException>(() => Searcher.Open(foreign)).Message);
        Assert.All(new[] { missing, empty, sqlite }, e => Assert.DoesNotContain('\n', e.Message));
    }

    [Fact]
    public void ASearcherMustAnalyseAsTheIndexWasBuilt()
    {
        using var dir = Build(Corpus, new IndexerOptions { Analyzer = "lowercase" });
        using (var same = Searcher.Open(dir.Path, new SearchOptions { Analyzer = "LOWERCASE" }))
            Assert.Equal("lowercase", same.Metadata.Analyzer);
        var error = Assert.Throws<SearchException>(() => Searcher.Open(dir.Path, new SearchOptions { Analyzer = "english" }));
        Assert.Contains("built with analyzer 'lowercase', not 'english'", error.Message);
        using var searcher = Searcher.Open(dir.Path);
        Assert.Single(searcher.Search("the", 10), h => h.DocId == "d1");
    }

    [Fact]
    public void ScifactTestSplitMatchesAnseriniQuality()
    {
        using var dir = new TempDirectory();
        using (var writer = Indexer.Open(dir.Path))
        {
            writer.Import(TestPaths.SharedData("scifact", "corpus.jsonl"));
            writer.Optimize();
        }
        var qrels = QrelsReader.Read(TestPaths.SharedData("scifact", "qrels", "test.tsv"));
        var queries = QueriesReader.Read(TestPaths.SharedData("scifact", "queries.jsonl")).Where(q => qrels.Contains(q.Id)).ToList();
        Assert.Equal(300, queries.Count);
        using var searcher = Searcher.Open(dir.Path, new SearchOptions { IncludeContent = false });
        var result = new Evaluator(MetricParser.ParseList("ndcg_cut_10,recall_100")).Evaluate(searcher.SearchAll(queries, 1000), qrels);
        // Anserini's flat BM25 (Lucene 9): nDCG@10 0.6789, R@100 0.9253; Lucene.Net 4.8's coarser norms give the same nDCG@10.
        Assert.Equal(0.6789, result.Mean("ndcg_cut_10"), 4);
        Assert.Equal(0.9287, result.Mean("recall_100"), 4);
    }
}
