// SearchRerank — MIT licence.
using SearchRerank.Search;
using SearchRerank.Core;

namespace SearchRerank.Rerank.Tests;

public sealed class RerankPipelineTests(SciFactIndexFixture fixture) : IClassFixture<SciFactIndexFixture>
{
    private const string Query = "cerebral white matter development in newborns measured by diffusion MRI";

    [Fact]
    public void WithoutFusionTheScoreIsTheRawLogitOfTitleAndText()
    {
        var firstStage = fixture.Searcher.Search(Query, 20);
        Assert.True(firstStage.Count >= 10);
        var reranked = new CrossEncoderRescorer(fixture.Encoder).Rescore(Query, firstStage);

        var expected = fixture.Encoder.Predict(firstStage.Select(h => (Query, h.Title + " " + h.Text)).ToArray());
        Assert.Equal(firstStage.Count, reranked.Count);
        foreach (var hit in reranked)
        {
            var i = firstStage.ToList().FindIndex(h => h.DocId == hit.DocId);
            Assert.Equal(expected[i], hit.CrossEncoderScore, 1e-6);
            Assert.Equal(hit.CrossEncoderScore, hit.Score);
            Assert.Equal(firstStage[i].Score, hit.FirstStageScore);
        }

        for (var i = 1; i < reranked.Count; i++)
            Assert.True(reranked[i - 1].Score >= reranked[i].Score);
    }

    [Fact]
    public void DocumentWithoutTitleUsesTextAlone()
    {
        Assert.Equal("body", CrossEncoderRescorer.TitleAndText(new Hit("d", 1, "", "body")));
        Assert.Equal("head body", CrossEncoderRescorer.TitleAndText(new Hit("d", 1, "head", "body")));
    }

    [Fact]
    public void TiesAreBrokenByDocumentIdDescending()
    {
        // Same text for every hit gives the same logit: order falls back to the document id, descending (ordinal).
        Hit[] hits = [new("10", 3, "t", "same"), new("9", 2, "t", "same"), new("100", 1, "t", "same"), new("a", 0, "t", "same")];
        var reranked = new CrossEncoderRescorer(fixture.Encoder).Rescore("q", hits);
        Assert.Equal(["a", "9", "100", "10"], reranked.Select(h => h.DocId));
    }

    [Fact]
    public void FusionWithAlphaOneKeepsTheFirstStageOrder()
    {
        var firstStage = fixture.Searcher.Search(Query, 15);
        var reranked = new CrossEncoderRescorer(fixture.Encoder, new ScoreFusion(1)).Rescore(Query, firstStage);
        Assert.Equal(firstStage.Select(h => h.DocId), reranked.Select(h => h.DocId));
        var z = ScoreFusion.ZScores(firstStage.Select(h => h.Score).ToArray());
        Assert.Equal(z, reranked.Select(h => h.Score).ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void PipelineRescoresTheFirstStageDepthAndCutsToK()
    {
        var pipeline = new RerankPipeline(fixture.Searcher, new CrossEncoderRescorer(fixture.Encoder), firstStageDepth: 30);
        var top = pipeline.Search(Query, 5);
        Assert.Equal(5, top.Count);
        var candidates = fixture.Searcher.Search(Query, 30).Select(h => h.DocId).ToHashSet();
        Assert.All(top, h => Assert.Contains(h.DocId, candidates));
        var all = new CrossEncoderRescorer(fixture.Encoder).Rescore(Query, fixture.Searcher.Search(Query, 30));
        Assert.Equal(all.Take(5).Select(h => h.DocId), top.Select(h => h.DocId));
    }

    [Fact]
    public void RerankRunReadsDocumentsFromTheIndex()
    {
        var queries = new[] { new Query("q1", Query), new Query("q2", "brain development") };
        var firstStage = fixture.Searcher.SearchAll(queries, 40);
        var pipeline = new RerankPipeline(fixture.Searcher, new CrossEncoderRescorer(fixture.Encoder), firstStageDepth: 25);
        var progress = new List<RerankProgress>();
        var reranked = pipeline.RerankRun(firstStage, queries, new DirectProgress<RerankProgress>(progress.Add));

        Assert.Equal(["q1", "q2"], reranked.QueryIds);
        Assert.Equal([1, 2], progress.Select(p => p.Completed));
        foreach (var q in queries)
        {
            var expected = pipeline.Search(q.Text, 25).Select(h => h.DocId);
            Assert.Equal(expected, reranked.Ranked(q.Id).Select(e => e.DocId));
        }
    }

    [Fact]
    public void RerankRunRejectsUnknownDocumentsAndQueries()
    {
        var pipeline = new RerankPipeline(fixture.Searcher, new CrossEncoderRescorer(fixture.Encoder));
        var run = new Run("bad");
        run.Add("q1", "no-such-doc", 1);
        var ex = Assert.Throws<InvalidDataException>(() => pipeline.RerankRun(run, [new Query("q1", "x")]));
        Assert.Contains("document 'no-such-doc' of query 'q1'", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => pipeline.RerankRun(run, [new Query("other", "x")]));
        Assert.Contains("query 'q1' has no text", ex.Message);
    }

    [Fact]
    public void PreTokenizedDocumentsGiveTheSameScores()
    {
        var path = DocumentTokenStore.Build(fixture.IndexDirectory, fixture.Encoder.Tokenizer, fixture.Documents);
        using var store = DocumentTokenStore.Open(path, fixture.Encoder.Tokenizer);
        var firstStage = fixture.Searcher.Search(Query, 20).ToList();
        firstStage.Add(new Hit("not-stored", 0.5, "A title", "a text that is not in the store")); // falls back to tokenizing
        var plain = new CrossEncoderRescorer(fixture.Encoder).Rescore(Query, firstStage);
        var stored = new CrossEncoderRescorer(fixture.Encoder, tokenStore: store).Rescore(Query, firstStage);
        Assert.Equal(plain.Select(h => h.DocId), stored.Select(h => h.DocId));
        Assert.Equal(plain.Select(h => h.Score), stored.Select(h => h.Score));
    }

    [Fact]
    public void ExplanationNestsBothStagesAndAddsUp()
    {
        var firstStage = fixture.Searcher.Search(Query, 10);
        var fused = new CrossEncoderRescorer(fixture.Encoder, new ScoreFusion(0.25));
        var rescored = fused.Rescore(Query, firstStage);
        var hit = rescored[3];
        var bm25 = fixture.Searcher.Explain(Query, hit.DocId);
        var explanation = fused.Explain(rescored, hit.DocId, bm25);

        Assert.Equal(hit.Score, explanation.Value, 9);
        Assert.Contains("0.25·z(first) + 0.75·z(CE)", explanation.Description);
        Assert.Equal(2, explanation.Details.Count);
        Assert.Equal(explanation.Value, 0.25 * explanation.Details[0].Value + 0.75 * explanation.Details[1].Value, 9);
        Assert.Same(bm25, explanation.Details[0].Details[0]);
        Assert.Equal(hit.CrossEncoderScore, explanation.Details[1].Details[0].Value);

        var plain = new CrossEncoderRescorer(fixture.Encoder);
        var raw = plain.Explain(plain.Rescore(Query, firstStage), hit.DocId);
        Assert.Equal(hit.CrossEncoderScore, raw.Value, 6);
        Assert.Throws<ArgumentException>(() => plain.Explain(rescored, "not-a-candidate"));
    }

    [Fact]
    public void EmptyFirstStageGivesNoHits() =>
        Assert.Empty(new CrossEncoderRescorer(fixture.Encoder).Rescore("anything", []));
}
