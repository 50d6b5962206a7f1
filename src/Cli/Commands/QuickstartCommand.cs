using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;
using SearchRerank.Eval.Reports;
using SearchRerank.Rerank;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using SearchRerank.Train;
using SearchRerank.Train.Recipes;
using Spectre.Console;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank quickstart</c>: the whole mission in one command on the shared SciFact collection. Indexes it into
/// <c>index/scifact</c>, shows BM25's results for a few test queries, trains a small cross-encoder from random weights
/// with <c>recipes/quickstart.json</c> (stage C on the training split, negatives from the same index) into
/// <c>models/quickstart</c>, shows the re-ranked results of the same queries, and ends with BM25 against BM25 +
/// cross-encoder on the whole test split (nDCG@10, RR@10, paired t-test). A second run reuses the index and the
/// model; an interrupted training resumes from its last checkpoint.
/// </summary>
public static class QuickstartCommand
{
    private const int ShownQueries = 3;
    private const int ShownHits = 5;
    private const int Depth = 100;

    public static Command Create()
    {
        var root = RepositoryRoot.Find();
        // Defaults are resolved in the action, so that --help shows them relative to the repository, not as absolute paths.
        var data = new Option<string?>("--data") { Description = "BEIR collection folder (corpus.jsonl, queries.jsonl, qrels/train.tsv, qrels/test.tsv) (default: ../shared/data/scifact)" };
        var index = new Option<string?>("--index") { Description = "Index directory (default: index/scifact)" };
        var model = new Option<string?>("--model") { Description = "Model folder to train, or reuse when complete (default: models/quickstart)" };
        var recipe = new Option<string?>("--recipe") { Description = "Training recipe (default: recipes/quickstart.json, stage C, about 2½ minutes on 2 cores)" };
        var command = new Command("quickstart", "Index SciFact, search it with BM25, train a cross-encoder, re-rank, and compare both on the test split")
        {
            data, index, model, recipe,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var output = CliOutput.From(parseResult);
            var dataDir = Path.GetFullPath(parseResult.GetValue(data) ?? Path.Combine(root, "..", "shared", "data", "scifact"));
            var indexDir = Path.GetFullPath(parseResult.GetValue(index) ?? Path.Combine(root, "index", "scifact"));
            var modelDir = Path.GetFullPath(parseResult.GetValue(model) ?? Path.Combine(root, "models", "quickstart"));
            var recipePath = Path.GetFullPath(parseResult.GetValue(recipe) ?? Path.Combine(root, "recipes", "quickstart.json"));
            var corpus = RequireFile(dataDir, "corpus.jsonl");
            var queriesFile = RequireFile(dataDir, "queries.jsonl");
            var trainQrels = RequireFile(dataDir, Path.Combine("qrels", "train.tsv"));
            var testQrels = RequireFile(dataDir, Path.Combine("qrels", "test.tsv"));

            Step(output, 1, $"index {Relative(corpus)}");
            EnsureIndexed(output, corpus, indexDir, cancellationToken);
            using var searcher = Searcher.Open(indexDir);
            var qrels = QrelsReader.Read(testQrels);
            var queries = QueriesReader.Read(queriesFile).Where(q => qrels.Contains(q.Id)).ToList();

            Step(output, 2, $"BM25 ({searcher}) on {ShownQueries} test queries");
            foreach (var query in queries.Take(ShownQueries))
                ShowHits(query, searcher.Search(query.Text, ShownHits).Select(h => (h.DocId, h.Score, h.Title, h.Text)), qrels, "BM25");

            Step(output, 3, $"train a cross-encoder from random weights ({Relative(recipePath)}) into {Relative(modelDir)}");
            EnsureTrained(output, recipePath, indexDir, queriesFile, trainQrels, modelDir, cancellationToken);

            Step(output, 4, "the same queries, BM25 top 100 re-ranked by the cross-encoder fused with BM25");
            using var encoder = CrossEncoder.Load(modelDir, new CrossEncoderOptions { ConcurrentBatches = 2, Threads = 1 });
            var pipeline = new RerankPipeline(searcher, encoder, FusionChoice.For(modelDir, CollectionFingerprint.Of(searcher)).Fusion, Depth);
            foreach (var query in queries.Take(ShownQueries))
                ShowHits(query, pipeline.Search(query.Text, ShownHits, cancellationToken).Select(h => (h.DocId, h.Score, h.Title, h.Text)), qrels, pipeline.RescorerName);

            Step(output, 5, $"both on all {queries.Count} test queries");
            var bm25 = searcher.SearchAll(queries, Depth, cancellationToken: cancellationToken);
            Run reranked;
            using (var line = output.Progress("re-ranking", "queries", "queries/s"))
                reranked = pipeline.RerankRun(bm25, queries, new DirectProgress<RerankProgress>(p => line.Update(p.Completed, queries.Count)), cancellationToken);
            var evaluator = new Evaluator(MetricParser.ParseList("ndcg_cut_10,recip_rank_10"));
            var report = EvaluationReport.Create([evaluator.Evaluate(bm25.Renamed("BM25"), qrels), evaluator.Evaluate(reranked.Renamed("BM25+cross-encoder"), qrels)],
                evaluator.RelevanceThreshold) with
            {
                Descriptions = new Dictionary<string, string> { ["BM25"] = searcher.ToString(), ["BM25+cross-encoder"] = pipeline.RescorerName },
            };
            EvalCommand.Print(report);
            output.Info($"next: ./searchrerank search --index {Relative(indexDir)} --query \"your question\" --rerank --model {Relative(modelDir)}");
            return 0;
        });
        return command;
    }

    private static void Step(CliOutput output, int number, string what) => output.Info($"[{number}/5] {what}");

    private static string RequireFile(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: not found (is --data a BEIR collection folder with train and test qrels?)");
    }

    /// <summary>Imports the corpus unless the index already holds as many documents as the corpus has lines.</summary>
    private static void EnsureIndexed(CliOutput output, string corpus, string indexDir, CancellationToken cancellationToken)
    {
        var expected = LineCount.NonEmpty(corpus);
        if (File.Exists(Path.Combine(indexDir, "index.sqlite")))
        {
            // The quickstart's own folder, left by a version that indexed into SQLite FTS5: rebuild it.
            output.Info($"{Relative(indexDir)} holds an index in the old SQLite format; rebuilding it with Lucene.Net");
            Directory.Delete(indexDir, recursive: true);
        }
        if (!CorpusImport.IsMissingOrEmpty(indexDir))
        {
            using var existing = Searcher.Open(indexDir);
            if (existing.DocumentCount >= expected)
            {
                output.Info($"index {Relative(indexDir)} already holds {existing.DocumentCount:N0} documents");
                return;
            }
        }
        var summary = CorpusImport.Run(output, corpus, indexDir, new IndexerOptions(), optimize: true, cancellationToken).Summary;
        output.Info(string.Create(CultureInfo.InvariantCulture,
            $"indexed {summary.Documents:N0} documents into {Relative(indexDir)} in {summary.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>Trains unless the model folder is complete (fusion.json is written last); an interrupted run resumes.</summary>
    private static void EnsureTrained(CliOutput output, string recipePath, string indexDir, string queries, string qrels, string modelDir,
        CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(modelDir, ScoreFusion.FileName)))
        {
            output.Info($"using the model already trained in {Relative(modelDir)} (delete the folder to train again)");
            return;
        }
        var recipe = RecipeReader.Read(recipePath);
        var resume = Directory.Exists(Path.Combine(modelDir, Trainer.CheckpointFolder));
        if (resume)
            output.Info($"resuming the interrupted training in {Relative(modelDir)}");
        TrainingOutcome outcome;
        try
        {
            using var progress = new TrainingProgressLines(output);
            outcome = Trainer.Run(recipe, new TrainingInputs(indexDir, queries, qrels, null, modelDir, Resume: resume), progress, cancellationToken);
        }
        catch (StoppedException ex)
        {
            throw new StoppedException($"{ex.Kept}; run the quickstart again to continue the training", ex);
        }
        if (outcome.Fusion is { } fusion)
            output.Info(string.Create(CultureInfo.InvariantCulture,
                $"validation nDCG@10 on held-out training queries: BM25 {fusion.FirstStageNdcg:F4}, cross-encoder {fusion.ModelNdcg:F4}, fused {fusion.Ndcg:F4} (α = {fusion.Alpha:F2})"));
    }

    private static void ShowHits(Topic query, IEnumerable<(string DocId, double Score, string Title, string Text)> hits, Qrels qrels, string ranker)
    {
        var judgments = qrels.Judgments(query.Id);
        var table = new Table().Title($"[bold]{Markup.Escape(query.Id)}[/]: {Markup.Escape(query.Text)} — {Markup.Escape(ranker)}")
            .AddColumn(new TableColumn("rank").RightAligned()).AddColumn("doc").AddColumn(new TableColumn("score").RightAligned())
            .AddColumn("relevant").AddColumn("title");
        var rank = 0;
        foreach (var hit in hits)
        {
            table.AddRow((++rank).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.DocId),
                hit.Score.ToString("F3", CultureInfo.InvariantCulture),
                judgments.TryGetValue(hit.DocId, out var grade) && grade > 0 ? "yes" : "",
                Markup.Escape(DisplayText.TitleOf(hit.Title, hit.Text, 80)));
        }
        AnsiConsole.Write(table);
    }

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);
}
