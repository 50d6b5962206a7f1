using System.Globalization;
using SearchRerank.Cli.Experiments;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;
using SearchRerank.Eval.Regressions;
using SearchRerank.Search.Index;
using SearchRerank.Train;
using SearchRerank.Train.Recipes;

namespace SearchRerank.Cli.Regressions;

/// <summary>
/// Runs <see cref="RegressionEntry"/>s end to end, as a user would with the commands: imports the collection into
/// <c>WORK/COLLECTION/index</c> (resumed or skipped when already there), trains the entry's recipe once per seed into
/// <c>WORK/COLLECTION/ENTRY/seed-N</c> (from scratch: a regression retrains), retrieves the judged queries with the
/// entry's system and evaluates every run.
/// </summary>
internal sealed class RegressionRunner(CliOutput output, string workDirectory)
{
    /// <summary>
    /// Runs <paramref name="entries"/> of <paramref name="file"/>: the collection is imported and its judged queries and
    /// qrels read once for all of them.
    /// </summary>
    public IReadOnlyList<RegressionCheck> Run(RegressionFile file, IReadOnlyList<RegressionEntry> entries, CancellationToken cancellationToken)
    {
        var index = Path.Combine(workDirectory, file.Collection, "index");
        CorpusImport.Run(output, file.Corpus, index, new IndexerOptions(), optimize: true, cancellationToken);
        var queries = QueryInput.Read(file.Queries, file.Qrels);
        var qrels = QrelsReader.Read(file.Qrels);
        var checks = new List<RegressionCheck>();
        foreach (var entry in entries)
        {
            output.Info($"{file.Collection}/{entry.Name}: {entry.Description} ({entry.Cost})");
            checks.AddRange(Run(file, entry, index, queries, qrels, cancellationToken));
        }
        return checks;
    }

    private IReadOnlyList<RegressionCheck> Run(RegressionFile file, RegressionEntry entry, string index, IReadOnlyList<Topic> queries, Qrels qrels,
        CancellationToken cancellationToken)
    {
        var evaluator = new Evaluator(entry.Expected.Keys.Select(MetricParser.Parse).ToArray());
        var results = new List<EvaluationResult>();
        foreach (var model in Models(file, entry, index, cancellationToken))
        {
            var spec = SystemSpec.Parse($"{entry.Name}={entry.System}{ModelParameter(entry.System, model)}");
            var system = RetrievalSystems.Create(spec, index, entry.Depth);
            try
            {
                Run run;
                using (var line = output.Progress(entry.Name, "queries", "queries/s"))
                    run = system.Retrieve(queries, new DirectProgress<int>(done => line.Update(done, queries.Count)), cancellationToken);
                results.Add(evaluator.Evaluate(run, qrels));
            }
            finally
            {
                (system as IDisposable)?.Dispose();
            }
        }
        return RegressionCheck.Of(file.Collection, entry, results);
    }

    private static string ModelParameter(string system, string? model) =>
        model is null ? "" : (system.Contains(':', StringComparison.Ordinal) ? "," : ":") + "model=" + model;

    /// <summary>The model folders to evaluate: none for a first stage, the entry's folder, or one trained per seed.</summary>
    private IEnumerable<string?> Models(RegressionFile file, RegressionEntry entry, string index, CancellationToken cancellationToken)
    {
        if (entry.Recipe is null)
        {
            yield return entry.Model;
            yield break;
        }
        var recipe = RecipeReader.Read(entry.Recipe);
        foreach (var seed in entry.Seeds.Count > 0 ? entry.Seeds : [recipe.Seed])
        {
            var folder = Path.Combine(workDirectory, file.Collection, entry.Name, $"seed-{seed}");
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            output.Info(string.Create(CultureInfo.InvariantCulture, $"{entry.Name}: training {entry.Recipe} with seed {seed} into {folder} ({entry.Cost})"));
            var inputs = new TrainingInputs(index, file.Queries, entry.TrainQrels, null, folder);
            using (var progress = new TrainingProgressLines(output))
                Trainer.Run(recipe with { Seed = seed }, inputs, progress, cancellationToken);
            yield return folder;
        }
    }
}
