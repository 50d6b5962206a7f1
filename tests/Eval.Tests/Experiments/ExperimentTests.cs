using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Experiments;
using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval.Tests.Experiments;

public class ExperimentTests
{
    /// <summary>Ranks documents by a fixed per-(query, document) table, recording which queries it was asked.</summary>
    private sealed class TableSystem(string name, Dictionary<string, (string Doc, double Score)[]> table) : IRetrievalSystem
    {
        public List<string> Asked { get; } = new();

        public string Name => name;

        public string Description => $"table({table.Count})";

        public Run Retrieve(IReadOnlyList<Topic> queries, IProgress<int>? progress, CancellationToken cancellationToken)
        {
            var run = new Run(name);
            var done = 0;
            foreach (var query in queries)
            {
                Asked.Add(query.Id);
                foreach (var (doc, score) in table.GetValueOrDefault(query.Id, []))
                    run.Add(query.Id, doc, score);
                progress?.Report(++done);
            }
            return run;
        }
    }

    private static readonly Topic[] Queries = [new("q1", "one"), new("q2", "two"), new("q3", "three"), new("train", "not in split")];

    private static Qrels Qrels() => new([("q1", "a", 1), ("q2", "b", 2), ("q3", "c", 1)]);

    [Fact]
    public void RunsOnlyJudgedQueriesAndWritesRunsAndReports()
    {
        var baseline = new TableSystem("base", new()
        {
            ["q1"] = [("x", 2), ("a", 1)],
            ["q2"] = [("b", 1)],
        });
        var candidate = new TableSystem("cand", new()
        {
            ["q1"] = [("a", 2), ("x", 1)],
            ["q2"] = [("b", 1)],
            ["q3"] = [("c", 1)],
        });
        using var dir = new TempDirectory();
        var reports = new List<ExperimentProgress>();
        var result = new Experiment([baseline, candidate], new ExperimentOptions([new ReciprocalRank(), new Ndcg(10)]) { Title = "Toy" })
            .Run(Queries, Qrels(), dir.Path, new Collect(reports));

        Assert.Equal(["q1", "q2", "q3"], baseline.Asked);
        Assert.Equal([0.5, 1.0, 0.0], result.Report.Results[0].PerQuery("recip_rank"));
        Assert.Equal(1.0, result.Report.Results[1].Mean("recip_rank"));
        Assert.Equal(["base", "cand"], result.RetrievalTimes.Keys.Order());
        Assert.Contains(reports, p => p is { System: "cand", SystemIndex: 1, QueriesDone: 3, QueryCount: 3 });

        var written = RunReader.Read(dir.Combine("runs", "cand.trec"));
        Assert.Equal(["a", "x"], written.Ranked("q1").Select(e => e.DocId));
        Assert.Contains("# Toy", File.ReadAllText(dir.Combine("report.md")));
        Assert.Contains("<svg", File.ReadAllText(dir.Combine("report.html")));
        using var json = JsonDocument.Parse(File.ReadAllText(dir.Combine("metrics.json")));
        Assert.Equal("table(3)", json.RootElement.GetProperty("runs").GetProperty("cand").GetProperty("description").GetString());
        Assert.Equal(5, result.Files.Count);
        Assert.All(result.Files, file => Assert.True(File.Exists(file)));
    }

    [Fact]
    public void JudgedQueryWithoutTextIsAnError()
    {
        using var dir = new TempDirectory();
        var experiment = new Experiment([new TableSystem("base", new())], new ExperimentOptions([new Ndcg(10)]));
        var error = Assert.Throws<InvalidDataException>(() => experiment.Run(Queries.Take(2), Qrels(), dir.Path));
        Assert.Contains("1 judged queries have no text in the queries file (e.g. 'q3')", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("bad name", "system name 'bad name' may only contain")]
    [InlineData("../up", "system name '../up' may only contain")]
    public void RejectsUnsafeSystemNames(string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new Experiment([new TableSystem(name, new())], new ExperimentOptions([new Ndcg(10)])));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void RejectsDuplicateSystemNames()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Experiment([new TableSystem("a", new()), new TableSystem("A", new())], new ExperimentOptions([new Ndcg(10)])));
        Assert.Contains("used twice", error.Message);
    }

    private sealed class Collect(List<ExperimentProgress> into) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => into.Add(value);
    }
}
