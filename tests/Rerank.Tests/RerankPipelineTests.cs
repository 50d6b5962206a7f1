using Lucene.Net.Search;
using SearchRerank.Core;
using SearchRerank.Search;

namespace SearchRerank.Rerank.Tests;

public sealed class RerankPipelineTests(SciFactIndexFixture fixture) : IClassFixture<SciFactIndexFixture>
{
    private const string Question = "cerebral white matter development in newborns measured by diffusion MRI";

    /// <summary>The first stage's top <paramref name="k"/> on one held commit, as a Lucene application would get it.</summary>
    private (SearchSnapshot Snapshot, TopDocs Top) FirstStage(string query, int k)
    {
        var snapshot = fixture.Searcher.Acquire();
        return (snapshot, snapshot.Search(fixture.Searcher.ParseQuery(query)!, k));
    }

    [Fact]
    public void WithoutFusionTheScoreIsTheRawLogitOfTitleAndText()
    {
        var (snapshot, top) = FirstStage(Question, 20);
        using var _ = snapshot;
        Assert.True(top.ScoreDocs.Length >= 10);
        var rescored = new CrossEncoderRescorer(fixture.Encoder, Question).Rescore(snapshot.IndexSearcher, top, 20);

        var expected = fixture.Encoder.Predict(top.ScoreDocs.Select(d => snapshot.Load(d.Doc)).Select(d => (Question, d.Title + " " + d.Text)).ToArray());
        Assert.Equal(top.ScoreDocs.Length, rescored.ScoreDocs.Length);
        foreach (var hit in rescored.ScoreDocs.Cast<RescoredDoc>())
        {
            var i = Array.FindIndex(top.ScoreDocs, d => d.Doc == hit.Doc);
            Assert.Equal(expected[i], hit.CrossEncoderScore, 5);
            Assert.Equal(hit.CrossEncoderScore, hit.Score);
            Assert.Equal(top.ScoreDocs[i].Score, hit.FirstStageScore);
        }
        for (var i = 1; i < rescored.ScoreDocs.Length; i++)
            Assert.True(rescored.ScoreDocs[i - 1].Score >= rescored.ScoreDocs[i].Score);
        Assert.Equal(rescored.ScoreDocs[0].Score, rescored.MaxScore);
        Assert.Equal(5, new CrossEncoderRescorer(fixture.Encoder, Question).Rescore(snapshot.IndexSearcher, top, 5).ScoreDocs.Length);
    }

    [Fact]
    public void FusionWithAlphaOneKeepsTheFirstStageOrder()
    {
        var (snapshot, top) = FirstStage(Question, 15);
        using var _ = snapshot;
        var options = new CrossEncoderRescorerOptions { Fusion = new ScoreFusion(1) };
        var rescored = new CrossEncoderRescorer(fixture.Encoder, Question, options).Rescore(snapshot.IndexSearcher, top, 15);
        Assert.Equal(top.ScoreDocs.Select(d => d.Doc), rescored.ScoreDocs.Select(d => d.Doc));
        var z = ScoreFusion.ZScores(top.ScoreDocs.Select(d => (double)d.Score).ToArray());
        Assert.Equal(z, rescored.ScoreDocs.Select(d => (double)d.Score).ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void PipelineRescoresTheFirstStageDepthAndCutsToK()
    {
        var pipeline = new RerankPipeline(fixture.Searcher, fixture.Encoder, firstStageDepth: 30);
        var top = pipeline.Search(Question, 5);
        Assert.Equal(5, top.Count);
        var candidates = fixture.Searcher.Search(Question, 30).ToDictionary(h => h.DocId);
        Assert.All(top, h => Assert.Equal(candidates[h.DocId].Title, h.Title));
        Assert.All(top, h => Assert.Equal(candidates[h.DocId].Score, h.FirstStageScore, 5));
        var all = pipeline.Search(Question, 30);
        Assert.Equal(30, all.Count);
        Assert.Equal(all.Take(5).Select(h => h.DocId), top.Select(h => h.DocId));
        Assert.Empty(pipeline.Search("the of and", 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Search(Question, 0));
        Assert.Equal("BM25(k1=0.9,b=0.4)>>CE(256)@30", pipeline.ToString());
    }

    [Fact]
    public void EqualScoresAreOrderedByDocumentIdDescendingLikeTrecEval()
    {
        RerankedHit Hit(string id, double score) => new(id, score, 0, score, "", "");
        var hits = new[] { Hit("10", 1), Hit("9", 1), Hit("100", 1), Hit("a", 1), Hit("b", 2) };
        Array.Sort(hits, RerankedHit.TrecOrder);
        Assert.Equal(["b", "a", "9", "100", "10"], hits.Select(h => h.DocId));
    }

    [Fact]
    public void SearchAllAndRerankRunAgreeWithSearch()
    {
        var queries = new[] { new Topic("q1", Question), new Topic("q2", "brain development") };
        var pipeline = new RerankPipeline(fixture.Searcher, fixture.Encoder, firstStageDepth: 25);
        var progress = new List<RerankProgress>();
        var firstStage = fixture.Searcher.SearchAll(queries, 40);
        var reranked = pipeline.RerankRun(firstStage, queries, new DirectProgress<RerankProgress>(progress.Add));
        var searched = pipeline.SearchAll(queries, 25);

        Assert.Equal(["q1", "q2"], reranked.QueryIds);
        Assert.Equal([1, 2], progress.Select(p => p.Completed));
        Assert.Equal("BM25(k1=0.9,b=0.4)+CE(256)", reranked.Name);
        foreach (var q in queries)
        {
            var expected = pipeline.Search(q.Text, 25).Select(h => h.DocId).ToList();
            Assert.Equal(expected, reranked.Ranked(q.Id).Select(e => e.DocId));
            Assert.Equal(expected, searched.Ranked(q.Id).Select(e => e.DocId));
        }
    }

    [Fact]
    public void RerankRunRejectsUnknownDocumentsAndQueries()
    {
        var pipeline = new RerankPipeline(fixture.Searcher, fixture.Encoder);
        var run = new Run("bad");
        run.Add("q1", "no-such-doc", 1);
        var ex = Assert.Throws<InvalidDataException>(() => pipeline.RerankRun(run, [new Topic("q1", "x")]));
        Assert.Contains("document 'no-such-doc' of query 'q1'", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => pipeline.RerankRun(run, [new Topic("other", "x")]));
        Assert.Contains("query 'q1' has no text", ex.Message);
    }

    [Fact]
    public void ExplanationNestsBothStagesAndAddsUp()
    {
        var (snapshot, top) = FirstStage(Question, 10);
        using var _ = snapshot;
        var fused = new CrossEncoderRescorer(fixture.Encoder, Question, new CrossEncoderRescorerOptions { Fusion = new ScoreFusion(0.25) });
        var hit = (RescoredDoc)fused.Rescore(snapshot.IndexSearcher, top, 10).ScoreDocs[3];
        var bm25 = snapshot.Explain(fixture.Searcher.ParseQuery(Question)!, hit.Doc);
        var explanation = fused.Explain(snapshot.IndexSearcher, bm25, hit.Doc);

        Assert.Equal(hit.Score, explanation.Value, 5);
        Assert.Contains("0.25·z(first) + 0.75·z(CE)", explanation.Description);
        var details = explanation.GetDetails();
        Assert.Equal(2, details.Length);
        Assert.Equal(explanation.Value, 0.25 * details[0].Value + 0.75 * details[1].Value, 4);
        Assert.Same(bm25, details[0].GetDetails()[0]);
        Assert.Equal(hit.CrossEncoderScore, details[1].GetDetails()[0].Value);
        Assert.Throws<ArgumentException>(() => fused.Explain(snapshot.IndexSearcher, bm25, -1));

        var plain = new CrossEncoderRescorer(fixture.Encoder, Question);
        var raw = plain.Explain(snapshot.IndexSearcher, bm25, hit.Doc);
        Assert.Equal(hit.CrossEncoderScore, raw.Value, 4);
        Assert.Same(bm25, raw.GetDetails()[1]);

        var pipeline = new RerankPipeline(fixture.Searcher, fixture.Encoder, new ScoreFusion(0.25), firstStageDepth: 10);
        var viaPipeline = pipeline.Explain(Question, snapshot.IdOf(hit.Doc))!;
        Assert.Equal(hit.Score, viaPipeline.Value, 5);
        Assert.Contains("weight(contents:", viaPipeline.ToString());
        Assert.Null(pipeline.Explain(Question, "not-a-candidate"));
    }

    [Fact]
    public void EmptyFirstStageGivesNoHits()
    {
        using var snapshot = fixture.Searcher.Acquire();
        var rescored = new CrossEncoderRescorer(fixture.Encoder, "anything").Rescore(snapshot.IndexSearcher, new TopDocs(0, [], float.NaN), 10);
        Assert.Empty(rescored.ScoreDocs);
    }
}
