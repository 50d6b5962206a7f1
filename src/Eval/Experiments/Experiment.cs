using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SearchRerank.Core;
using SearchRerank.Eval.Reports;

namespace SearchRerank.Eval.Experiments;

/// <summary>
/// Runs several systems on the judged queries of one split and compares them with the first system:
/// writes <c>runs/&lt;system&gt;.trec</c>, <c>metrics.json</c>, <c>report.md</c> and <c>report.html</c> into the
/// output directory. Only queries present in the qrels are retrieved (a split's qrels select its queries);
/// a judged query missing from the queries file is an error, because it would silently score 0.
/// </summary>
public sealed partial class Experiment
{
    private readonly IReadOnlyList<IRetrievalSystem> systems;
    private readonly ExperimentOptions options;

    public Experiment(IReadOnlyList<IRetrievalSystem> systems, ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(systems);
        ArgumentNullException.ThrowIfNull(options);
        if (systems.Count == 0)
            throw new ArgumentException("an experiment needs at least one system");
        foreach (var system in systems)
        {
            if (!SafeName().IsMatch(system.Name))
                throw new ArgumentException($"system name '{system.Name}' may only contain letters, digits, '.', '_' and '-'");
        }
        var duplicate = systems.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"system name '{duplicate.Key}' is used twice");
        this.systems = systems;
        this.options = options;
    }

    public ExperimentResult Run(IEnumerable<Topic> queries, Qrels qrels, string outputDirectory,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var judged = SelectJudged(queries, qrels);
        var evaluator = new Evaluator(options.Metrics, options.RelevanceThreshold);
        var results = new List<EvaluationResult>();
        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var files = new List<string>();

        for (var s = 0; s < systems.Count; s++)
        {
            var system = systems[s];
            var index = s;
            progress?.Report(new ExperimentProgress(system.Name, index, systems.Count, 0, judged.Count));
            var perQuery = progress is null
                ? null
                : new DirectProgress<int>(done => progress.Report(new ExperimentProgress(system.Name, index, systems.Count, done, judged.Count)));
            var watch = Stopwatch.StartNew();
            var run = system.Retrieve(judged, perQuery, cancellationToken);
            times[system.Name] = watch.Elapsed;
            cancellationToken.ThrowIfCancellationRequested();
            if (run.Name != system.Name)
                throw new InvalidOperationException($"system '{system.Name}' returned a run named '{run.Name}'");

            var runPath = Path.Combine(outputDirectory, "runs", $"{system.Name}.trec");
            RunWriter.Write(run, runPath, system.Name);
            files.Add(runPath);
            results.Add(evaluator.Evaluate(run, qrels));
        }

        var report = EvaluationReport.Create(results, options.RelevanceThreshold, options.Alpha) with
        {
            Descriptions = systems.ToDictionary(s => s.Name, s => s.Description, StringComparer.Ordinal),
            Notes = systems.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{s.Name}: {s.Description}; retrieval {times[s.Name].TotalSeconds:F1} s for {judged.Count} queries ({times[s.Name].TotalMilliseconds / Math.Max(1, judged.Count):F1} ms/query)")).ToArray(),
        };
        var jsonPath = Path.Combine(outputDirectory, "metrics.json");
        var markdownPath = Path.Combine(outputDirectory, "report.md");
        var htmlPath = Path.Combine(outputDirectory, "report.html");
        JsonReport.Write(report, jsonPath);
        MarkdownReport.Write(report, markdownPath, options.Title);
        HtmlReport.Write(report, htmlPath, options.Title);
        files.AddRange([jsonPath, markdownPath, htmlPath]);
        return new ExperimentResult(report, times, files);
    }

    private static List<Topic> SelectJudged(IEnumerable<Topic> queries, Qrels qrels)
    {
        var byId = new Dictionary<string, Topic>(StringComparer.Ordinal);
        foreach (var query in queries)
            byId.TryAdd(query.Id, query);
        var missing = qrels.QueryIds.Where(id => !byId.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
        {
            var examples = string.Join(", ", missing.Take(5).Select(id => $"'{id}'"));
            throw new InvalidDataException($"{missing.Length} judged queries have no text in the queries file (e.g. {examples}); wrong queries file?");
        }
        return qrels.QueryIds.Select(id => byId[id]).ToList();
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeName();
}
