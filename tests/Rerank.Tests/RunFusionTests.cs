using SearchRerank.Core;

namespace SearchRerank.Rerank.Tests;

public sealed class RunFusionTests(SciFactIndexFixture fixture) : IClassFixture<SciFactIndexFixture>
{
    private static readonly Topic[] Queries =
    [
        new("q1", "cerebral white matter development in newborns measured by diffusion MRI"),
        new("q2", "brain development"),
    ];

    [Fact]
    public void FusingTheCrossEncodersRunAfterwardsGivesReranksFusedScoresThroughRunFiles()
    {
        var firstStage = fixture.Searcher.SearchAll(Queries, 40);
        var fusion = new ScoreFusion(0.35);
        var inProcess = new RerankPipeline(fixture.Searcher, fixture.Encoder, fusion, firstStageDepth: 25).RerankRun(firstStage, Queries);
        var crossEncoder = new RerankPipeline(fixture.Searcher, fixture.Encoder, firstStageDepth: 25).RerankRun(firstStage, Queries);

        var folder = Directory.CreateTempSubdirectory("runfusion-");
        try
        {
            string Written(Run run, string name)
            {
                var path = Path.Combine(folder.FullName, name);
                RunWriter.Write(run, path, "t");
                return path;
            }
            var offline = RunFusion.Fuse(RunReader.Read(Written(firstStage, "bm25.run")), RunReader.Read(Written(crossEncoder, "ce.run")), fusion, 25);

            Assert.Equal(inProcess.QueryIds, offline.QueryIds);
            foreach (var q in Queries)
            {
                Assert.Equal(25, offline.Ranked(q.Id).Count);
                Assert.Equal(inProcess.Ranked(q.Id), offline.Ranked(q.Id));
            }
            Assert.Equal("bm25.run+ce.run+zfusion(alpha=0.35)", offline.Name);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AlphaOneKeepsTheFirstStageOrderAndZeroTheCrossEncoders()
    {
        var first = new Run("first");
        var second = new Run("ce");
        foreach (var (doc, bm25, ce) in new[] { ("a", 9.0, -1.0), ("b", 7.0, 3.0), ("c", 5.0, 1.0), ("d", 1.0, 2.0) })
        {
            first.Add("q", doc, bm25);
            second.Add("q", doc, ce);
        }
        second.Add("q", "beyond-depth", 5);
        Assert.Equal(["a", "b", "c"], RunFusion.Fuse(first, second, new ScoreFusion(1), 3).Ranked("q").Select(e => e.DocId));
        Assert.Equal(["b", "c", "a"], RunFusion.Fuse(first, second, new ScoreFusion(0), 3).Ranked("q").Select(e => e.DocId));
        Assert.Equal(["b", "d", "c", "a"], RunFusion.Fuse(first, second, new ScoreFusion(0), 10).Ranked("q").Select(e => e.DocId));
    }

    [Fact]
    public void EveryCandidateNeedsACrossEncoderScore()
    {
        var first = new Run("bm25.run");
        first.Add("q1", "a", 2);
        first.Add("q1", "b", 1);
        first.Add("q2", "a", 1);
        var second = new Run("ce.run");
        second.Add("q1", "a", 0.5);

        var ex = Assert.Throws<InvalidDataException>(() => RunFusion.Fuse(first, second, new ScoreFusion(0.5), 10));
        Assert.Equal("ce.run: query 'q1' has no score for document 'b' of bm25.run's top 10", ex.Message);
        second.Add("q1", "b", 0.1);
        ex = Assert.Throws<InvalidDataException>(() => RunFusion.Fuse(first, second, new ScoreFusion(0.5), 10));
        Assert.Equal("ce.run: no scores for query 'q2' of bm25.run", ex.Message);
        second.Add("q2", "a", 0.2);
        Assert.Equal(["a"], RunFusion.Fuse(first, second, new ScoreFusion(0.5), 1).Ranked("q1").Select(e => e.DocId));
    }
}
