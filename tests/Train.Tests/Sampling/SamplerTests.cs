using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Search;
using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Tests.Sampling;

public sealed class SamplerTests
{
    private static TrainingQuery Query(string id, int positives, int negatives) => new(
        id, $"text {id}",
        Enumerable.Range(1, positives).Select(i => new Candidate($"{id}-p{i}", i, 10 - i)).ToArray(),
        Enumerable.Range(1, negatives).Select(i => new Candidate($"{id}-n{i}", positives + i, 5 - 0.1 * i)).ToArray(),
        0, 10);

    private static readonly TrainingQuery[] Queries = [Query("a", 1, 10), Query("b", 2, 10), Query("c", 1, 3), Query("d", 1, 10)];

    [Fact]
    public void GroupIsOnePositiveThenDistinctNegativesOfTheSameQuery()
    {
        var sampler = new ContrastiveSampler(Queries, groupSize: 4, seed: 3);
        for (long p = 0; p < 40; p++)
        {
            var group = sampler.Sample(p);
            var query = Queries.Single(q => q.Id == group.QueryId);
            Assert.Equal(4, group.DocIds.Count);
            Assert.Equal([1f, 0f, 0f, 0f], group.Labels);
            Assert.Contains(group.DocIds[0], query.Positives.Select(c => c.DocId));
            Assert.All(group.DocIds.Skip(1), d => Assert.Contains(d, query.Negatives.Select(c => c.DocId)));
            Assert.Equal(3, group.DocIds.Skip(1).Distinct().Count());
            Assert.Equal(1.0, group.Difficulty);
        }
    }

    [Fact]
    public void EachEpochVisitsEveryQueryOnceInAFreshOrder()
    {
        var sampler = new ContrastiveSampler(Queries, 3, seed: 11);
        var epochs = Enumerable.Range(0, 6).Select(e => Enumerable.Range(0, 4).Select(i => sampler.Sample(e * 4 + i).QueryId).ToArray()).ToArray();
        Assert.All(epochs, e => Assert.Equal(["a", "b", "c", "d"], e.Order()));
        Assert.True(epochs.Select(e => string.Join(",", e)).Distinct().Count() > 1, "the order never changed over 6 epochs");
    }

    [Fact]
    public void SamplesArePureFunctionsOfSeedAndPosition()
    {
        var first = new ContrastiveSampler(Queries, 4, seed: 5);
        var second = new ContrastiveSampler(Queries, 4, seed: 5);
        // Visiting positions out of order (as a resumed run does) must not change what they hold.
        var forward = Enumerable.Range(0, 20).Select(p => first.Sample(p)).ToArray();
        var backward = Enumerable.Range(0, 20).Reverse().Select(p => second.Sample(p)).Reverse().ToArray();
        Assert.Equal(forward.Select(g => string.Join(",", g.DocIds)), backward.Select(g => string.Join(",", g.DocIds)));
        var other = new ContrastiveSampler(Queries, 4, seed: 6);
        Assert.NotEqual(forward.Select(g => string.Join(",", g.DocIds)), Enumerable.Range(0, 20).Select(p => string.Join(",", other.Sample(p).DocIds)));
    }

    [Fact]
    public void ShortNegativePoolRepeatsNegativesAndEmptyQueriesAreSkipped()
    {
        var sampler = new ContrastiveSampler([Query("c", 1, 3), Query("x", 0, 5), Query("y", 1, 0)], 6, seed: 1);
        Assert.Equal(1, sampler.GroupsPerEpoch);
        var group = sampler.Sample(0);
        Assert.Equal(6, group.DocIds.Count);
        Assert.Equal(3, group.DocIds.Skip(1).Distinct().Count());
        Assert.Throws<ArgumentException>(() => new ContrastiveSampler([Query("x", 0, 5)], 4, 1));
    }

    [Fact]
    public void TeacherGroupsFollowTheTeacherWithRankNetGradesOrScores()
    {
        var lists = new[] { new TeacherList("q", "text", ["d1", "d2", "d3", "d4"], [9.5, 7.0, 3.25, 1.0]), new TeacherList("short", "t", ["x"], [1.0]) };
        var grades = new TeacherSampler(lists, 3, seed: 2, useScores: false);
        Assert.Equal(1, grades.GroupsPerEpoch);
        var group = grades.Sample(0);
        Assert.Equal(["d1", "d2", "d3"], group.DocIds);
        Assert.Equal([3f, 2f, 1f], group.Labels);
        Assert.Equal([9.5f, 7.0f, 3.25f], new TeacherSampler(lists, 3, 2, useScores: true).Sample(5).Labels);
        Assert.Equal(20f, TeacherSampler.GradeOf(1, 20));
        Assert.Equal(1f, TeacherSampler.GradeOf(20, 20));
    }

    [Fact]
    public void TeacherListsTakeTheRunsTopInTrecEvalOrder()
    {
        var run = new Run("teacher");
        run.Add("q1", "a", 1.0);
        run.Add("q1", "b", 3.0);
        run.Add("q1", "c", 3.0);
        run.Add("q1", "d", 0.5);
        var lists = TeacherLists.From(run, [new Topic("q1", "one"), new Topic("q2", "two")], 3, out int unanswered);
        Assert.Equal(1, unanswered);
        // Ties by docid descending, as trec_eval.
        Assert.Equal(["c", "b", "a"], lists.Single().DocIds);
        Assert.Equal([3.0, 3.0, 1.0], lists.Single().Scores);
    }

    [Fact]
    public void MinerRemovesJudgedPositivesFromNegatives()
    {
        var hits = new[] { "d1", "d2", "d3", "d4" }.Select((d, i) => new Hit(d, 10 - i, "", "")).ToArray();
        var miner = new CandidateMiner((_, k) => hits.Take(k).ToArray());
        var qrels = new Qrels([("q", "d2", 1), ("q", "d3", 0), ("q", "d9", 2), ("unjudged", "d1", 0)]);
        var pools = miner.FromQrels([new Topic("q", "query"), new Topic("unjudged", "u")], qrels, depth: 4);
        var pool = Assert.Single(pools);
        Assert.Equal(["d2", "d9"], pool.Positives.Select(c => c.DocId));
        Assert.Equal([2, 0], pool.Positives.Select(c => c.Rank));
        Assert.Equal(["d1", "d3", "d4"], pool.Negatives.Select(c => c.DocId));
        Assert.Equal((7.0, 10.0), (pool.MinScore, pool.MaxScore));
    }

    [Fact]
    public void WeakSupervisionUsesTitlesAndDropsTheDocumentItself()
    {
        var hits = new[] { "d2", "d1", "d3" }.Select((d, i) => new Hit(d, 5 - i, "", "")).ToArray();
        var miner = new CandidateMiner((q, k) => q == "Title one" ? hits : []);
        var pools = miner.FromTitles([new CorpusDocument("d1", "Title one", ""), new CorpusDocument("d2", " ", "")], depth: 10);
        var pool = Assert.Single(pools);
        Assert.Equal(("d1", "Title one"), (pool.Id, pool.Text));
        Assert.Equal(new Candidate("d1", 2, 4), pool.Positives.Single());
        Assert.Equal(["d2", "d3"], pool.Negatives.Select(c => c.DocId));
    }

    [Fact]
    public void SplitMixIsUniformEnoughAndChoosesDistinct()
    {
        var random = SplitMix64.For(42, 1, 2);
        var counts = new int[10];
        for (int i = 0; i < 10000; i++)
            counts[random.Next(10)]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        var chosen = random.Choose(50, 50);
        Assert.Equal(Enumerable.Range(0, 50), chosen.Order());
        Assert.NotEqual(SplitMix64.For(1, 0).NextUInt64(), SplitMix64.For(1, 1).NextUInt64());
        Assert.Equal(SplitMix64.For(9, 3).NextUInt64(), SplitMix64.For(9, 3).NextUInt64());
    }

    [Fact]
    public void OtherQueriesPositivesAreDrawnFirstAsNegativesWhenAsked()
    {
        // q1's pool holds q2's and q3's positives; q2's pool holds one of q1's.
        static Candidate[] Docs(params string[] ids) => ids.Select((d, i) => new Candidate(d, i + 2, 9 - i)).ToArray();
        var queries = new[]
        {
            new TrainingQuery("q1", "one", Docs("p1"), Docs("x1", "x2", "p2", "x3", "x4", "p3", "x5", "x6", "x7", "x8"), 0, 10),
            new TrainingQuery("q2", "two", Docs("p2"), Docs("y1", "p1", "y2", "y3", "y4", "y5"), 0, 10),
            new TrainingQuery("q3", "three", Docs("p3"), Docs("z1", "z2", "z3", "z4"), 0, 10),
        };
        string[] others = ["p1", "p2", "p3"];
        var plain = new ContrastiveSampler(queries, groupSize: 4, seed: 5);
        var defaulted = new ContrastiveSampler(queries, groupSize: 4, seed: 5, otherPositives: 0);
        var mixed = new ContrastiveSampler(queries, groupSize: 4, seed: 5, otherPositives: 2);
        int plainOthers = 0;
        for (long p = 0; p < 300; p++)
        {
            var group = mixed.Sample(p);
            var query = queries.Single(q => q.Id == group.QueryId);
            int available = query.Negatives.Count(n => others.Contains(n.DocId));
            Assert.Equal(Math.Min(2, available), group.DocIds.Skip(1).Count(d => others.Contains(d)));
            Assert.Equal(3, group.DocIds.Skip(1).Distinct().Count());
            Assert.All(group.DocIds.Skip(1), d => Assert.Contains(d, query.Negatives.Select(c => c.DocId)));
            Assert.Equal(plain.Sample(p).DocIds, defaulted.Sample(p).DocIds);
            if (group.QueryId == "q1")
                plainOthers += plain.Sample(p).DocIds.Skip(1).Count(d => others.Contains(d));
        }
        Assert.InRange(plainOthers, 20, 120); // uniform: 3 of q1's 10 negatives, 2 of them others' positives ≈ 0.6 per group, not 2
    }

    [Fact]
    public void TitleQueriesGiveTextOnlyGroupsAndTheirPositivesAreNoOtherPositives()
    {
        // The title query's positive t1 sits in q1's pool: a document every title query makes "a positive", which
        // other_positives must not treat as a judged one.
        static Candidate[] Docs(params string[] ids) => ids.Select((d, i) => new Candidate(d, i + 2, 9 - i)).ToArray();
        var queries = new[]
        {
            new TrainingQuery("q1", "one", Docs("p1"), Docs("t1", "x1", "x2", "x3"), 0, 10),
            new TrainingQuery("t1", "a title", Docs("t1"), Docs("w1", "w2", "w3", "p1"), 0, 10, TitleQuery: true),
        };
        var sampler = new ContrastiveSampler(queries, groupSize: 3, seed: 2, otherPositives: 2);
        Assert.Contains("title_queries=1", sampler.ToString());
        int judgedGroups = 0, withTitlePositive = 0;
        for (long p = 0; p < 40; p++)
        {
            var group = sampler.Sample(p);
            Assert.Equal(group.QueryId == "t1", group.TextOnly);
            if (group.QueryId == "t1")
            {
                Assert.Contains("p1", group.DocIds.Skip(1)); // q1's judged positive is drawn first
                continue;
            }
            judgedGroups++;
            withTitlePositive += group.DocIds.Contains("t1") ? 1 : 0;
        }
        // Drawn uniformly (2 of q1's 4 negatives), not first: some groups hold t1, some do not.
        Assert.InRange(withTitlePositive, 1, judgedGroups - 1);
    }
}
