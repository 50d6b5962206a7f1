using System.CommandLine;
using System.Globalization;
using SearchRerank.Evaluation;
using SearchRerank.Evaluation.Metrics;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using Spectre.Console;
using SearchRerank.Core;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank quickstart</c>: the newcomer's first run. Indexes the shared SciFact collection into
/// <c>index/scifact</c> (skipped when that index already holds the whole corpus), shows the ranked results of a few
/// test queries with their titles, then measures BM25 over the whole test split.
/// </summary>
public static class QuickstartCommand
{
    private const int ShownQueries = 3;
    private const int ShownHits = 5;

    public static Command Create()
    {
        var root = RepositoryRoot.Find();
        var data = new Option<string>("--data")
        {
            Description = "BEIR collection folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)",
            DefaultValueFactory = _ => Path.Combine(root, "..", "shared", "data", "scifact"),
        };
        var index = new Option<string>("--index")
        {
            Description = "Index directory",
            DefaultValueFactory = _ => Path.Combine(root, "index", "scifact"),
        };
        var command = new Command("quickstart", "Index the shared SciFact collection, run a few queries and measure BM25 on its test split")
        {
            data, index,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var dataDir = Path.GetFullPath(parseResult.GetValue(data)!);
            var indexDir = Path.GetFullPath(parseResult.GetValue(index)!);
            var corpus = RequireFile(dataDir, "corpus.jsonl");
            var queriesFile = RequireFile(dataDir, "queries.jsonl");
            var qrelsFile = RequireFile(dataDir, Path.Combine("qrels", "test.tsv"));

            EnsureIndexed(corpus, indexDir, cancellationToken);

            using var searcher = Searcher.Open(indexDir);
            var qrels = QrelsReader.Read(qrelsFile);
            var queries = QueriesReader.Read(queriesFile).Where(q => qrels.Contains(q.Id)).ToList();

            foreach (var query in queries.Take(ShownQueries))
                ShowHits(query, searcher.Search(query.Text, ShownHits), qrels);

            var run = searcher.SearchAll(queries, 100, cancellationToken: cancellationToken);
            var result = new Evaluator(MetricParser.ParseList("ndcg_cut_10,recall_100")).Evaluate(run, qrels);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"BM25 ({searcher.Similarity}) on SciFact test, {queries.Count} queries: nDCG@10 {result.Mean("ndcg_cut_10"):F4}, R@100 {result.Mean("recall_100"):F4}"));
            AnsiConsole.WriteLine($"next: ./searchrerank search --index {Relative(indexDir)} --query \"your question\" -k 10");
            return 0;
        });
        return command;
    }

    private static string RequireFile(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: not found (is --data a BEIR collection folder?)");
    }

    /// <summary>Imports the corpus unless the index already holds as many documents as the corpus has lines.</summary>
    private static void EnsureIndexed(string corpus, string indexDir, CancellationToken cancellationToken)
    {
        var expected = File.ReadLines(corpus).Count(line => !string.IsNullOrWhiteSpace(line));
        if (File.Exists(Path.Combine(indexDir, "index.sqlite")))
        {
            // The quickstart's own folder, left by a version that indexed into SQLite FTS5: rebuild it.
            AnsiConsole.WriteLine($"{Relative(indexDir)} holds an index in the old SQLite format; rebuilding it with Lucene.Net");
            Directory.Delete(indexDir, recursive: true);
        }
        if (Directory.Exists(indexDir) && Directory.EnumerateFileSystemEntries(indexDir).Any())
        {
            using var existing = Searcher.Open(indexDir);
            if (existing.DocumentCount >= expected)
            {
                AnsiConsole.WriteLine($"index {Relative(indexDir)} already holds {existing.DocumentCount:N0} documents");
                return;
            }
        }
        using var writer = IndexWriter.Open(indexDir);
        var summary = writer.Import(corpus, cancellationToken: cancellationToken);
        writer.Optimize();
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"indexed {summary.Documents:N0} documents into {Relative(indexDir)} in {summary.Elapsed.TotalSeconds:F1} s"));
    }

    private static void ShowHits(Query query, IReadOnlyList<Hit> hits, Qrels qrels)
    {
        var judgments = qrels.Judgments(query.Id);
        var table = new Table().Title($"[bold]{Markup.Escape(query.Id)}[/]: {Markup.Escape(query.Text)}")
            .AddColumn("rank").AddColumn("doc").AddColumn("score").AddColumn("relevant").AddColumn("title");
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.DocId),
                hit.Score.ToString("F3", CultureInfo.InvariantCulture),
                judgments.TryGetValue(hit.DocId, out var grade) && grade > 0 ? "yes" : "",
                Markup.Escape(Shorten(hit.Title, 80)));
        }
        AnsiConsole.Write(table);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);
}
