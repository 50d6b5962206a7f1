using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Lucene.Net.Search.Similarities;
using SearchRerank.Cli.Output;
using SearchRerank.Cli.Reranking;
using SearchRerank.Core;
using SearchRerank.Search;
using Spectre.Console;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank search --index DIR (--query TEXT | --queries FILE [--qrels FILE]) [-k N] [--out FILE] [--k1 X --b Y]
/// [--similarity bm25|lmdirichlet] [--syntax free|lucene] [--explain DOCID]</c>: one query prints a ranked table; a queries
/// file is searched on all cores and written as a TREC run.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory", Required = true };
        var query = new Option<string?>("--query", "-q") { Description = "One query; prints the ranked list" };
        var queries = new Option<string?>("--queries") { Description = "Queries file (BEIR queries.jsonl or TSV qid<TAB>text); writes a TREC run" };
        var qrels = new Option<string?>("--qrels") { Description = "With --queries: search only the queries judged in this qrels file" };
        var k = new Option<int?>("-k", "--k") { Description = "Hits per query, at least 1 (default 10 for --query, 1000 for --queries)" };
        var output = new Option<string?>("--out") { Description = "With --queries: TREC run file to write (required)" };
        var k1 = new Option<double?>("--k1") { Description = "BM25 k1 (default: the index's, normally 0.9)" };
        var b = new Option<double?>("--b") { Description = "BM25 b (default: the index's, normally 0.4)" };
        var similarity = new Option<string>("--similarity") { Description = "bm25, or lmdirichlet (Lucene's Dirichlet-smoothed language model, --mu)", DefaultValueFactory = _ => "bm25" };
        var mu = new Option<double>("--mu") { Description = "With --similarity lmdirichlet: the Dirichlet prior", DefaultValueFactory = _ => 2000 };
        var syntax = new Option<string>("--syntax") { Description = "free (analysed bag of words, never a syntax error) or lucene (QueryParser: \"phrases\", +must, -not, AND/OR, term^2, prefix*)", DefaultValueFactory = _ => "free" };
        var explain = new Option<string?>("--explain") { Description = "With --query: also print Lucene's explanation of this document id's score" };
        var threads = new Option<int>("--threads") { Description = "With --queries: parallel workers (0: one per core but one, at least one — faster than one per core on 2 cores)", DefaultValueFactory = _ => 0 };
        var rerank = new Option<bool>("--rerank") { Description = "Re-rank the first-stage top --rerank-depth with the cross-encoder --model" };
        var rerankDepth = new Option<int>("--rerank-depth") { Description = "With --rerank: first-stage hits re-scored per query", DefaultValueFactory = _ => 100 };
        var model = new ModelOptions(required: false);

        var command = new Command("search", "Search an index with BM25: one query, or a queries file into a TREC run")
        {
            index, query, queries, qrels, k, output, k1, b, similarity, mu, syntax, explain, threads, rerank, rerankDepth,
        };
        model.AddTo(command, withTuning: false);
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(query);
            var queriesPath = parseResult.GetValue(queries);
            if ((text is null) == (queriesPath is null))
                throw new ArgumentException("give exactly one of --query TEXT or --queries FILE");
            if (parseResult.GetValue(k) is < 1 and var badK)
                throw new ArgumentException($"-k must be at least 1, got {badK}");
            var options = new SearchOptions
            {
                K1 = parseResult.GetValue(k1),
                B = parseResult.GetValue(b),
                Similarity = ParseSimilarity(parseResult.GetValue(similarity)!, parseResult.GetValue(mu), parseResult.GetValue(k1) is not null || parseResult.GetValue(b) is not null),
                Syntax = parseResult.GetValue(syntax)!.Trim().ToLowerInvariant() switch
                {
                    "free" => QuerySyntax.FreeText,
                    "lucene" => QuerySyntax.Lucene,
                    var other => throw new ArgumentException($"--syntax: expected free or lucene, got '{other}'"),
                },
                IncludeContent = text is not null || parseResult.GetValue(rerank),
            };
            using var searcher = Searcher.Open(parseResult.GetValue(index)!, options);
            if (parseResult.GetValue(rerank))
                return RerankedSearch.Run(parseResult, searcher, model, parseResult.GetValue(rerankDepth),
                    text, queriesPath, parseResult.GetValue(qrels), parseResult.GetValue(k), parseResult.GetValue(output), parseResult.GetValue(explain),
                    cancellationToken);
            if (text is not null)
            {
                SearchOne(searcher, text, parseResult.GetValue(k) ?? 10);
                if (parseResult.GetValue(explain) is { } docId)
                    Console.Write(searcher.Explain(text, docId)?.ToString() ?? $"document '{docId}' is not in the index\n");
                return 0;
            }
            var runPath = parseResult.GetValue(output) ?? throw new ArgumentException("--queries needs --out FILE for the TREC run to write");
            return SearchMany(CliOutput.From(parseResult), searcher, queriesPath!, parseResult.GetValue(qrels), parseResult.GetValue(k) ?? 1000, runPath,
                parseResult.GetValue(threads), cancellationToken);
        });
        return command;
    }

    /// <summary>The --similarity choice: null for BM25 (the searcher applies the index's or the given k1/b).</summary>
    private static Similarity? ParseSimilarity(string name, double mu, bool bm25Parameters) => name.Trim().ToLowerInvariant() switch
    {
        "bm25" => null,
        "lmdirichlet" when bm25Parameters => throw new ArgumentException("--k1 and --b apply to --similarity bm25 only"),
        "lmdirichlet" when !double.IsFinite(mu) || mu <= 0 => throw new ArgumentException($"--mu must be positive, got {mu}"),
        "lmdirichlet" => new LMDirichletSimilarity((float)mu),
        var other => throw new ArgumentException($"--similarity: expected bm25 or lmdirichlet, got '{other}'"),
    };

    /// <summary>Why a query found nothing: no terms survived analysis, or no document holds them.</summary>
    public static string NoResults(Searcher searcher, string text) => searcher.ParseQuery(text) is null
        ? $"no results: the query has no searchable terms after analysis (analyzer {searcher.Metadata.Analyzer} drops punctuation and, unless it is a -nostop or lowercase analyzer, stopwords)"
        : "no results: no document matches the query";

    private static void SearchOne(Searcher searcher, string text, int k)
    {
        var clock = Stopwatch.StartNew();
        var hits = searcher.Search(text, k);
        var elapsed = clock.Elapsed;
        if (hits.Count == 0)
        {
            AnsiConsole.WriteLine(NoResults(searcher, text));
            return;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("rank").RightAligned()).AddColumn("id")
            .AddColumn(new TableColumn("score").RightAligned()).AddColumn("title");
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.DocId),
                hit.Score.ToString("F4", CultureInfo.InvariantCulture), Markup.Escape(DisplayText.TitleOf(hit.Title, hit.Text, 90)));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hits.Count} hits of {searcher.DocumentCount:N0} documents, {searcher}, {elapsed.TotalMilliseconds:F1} ms"));
    }

    private static int SearchMany(CliOutput output, Searcher searcher, string queriesPath, string? qrelsPath, int k, string runPath, int threads, CancellationToken cancellationToken)
    {
        var list = QueryInput.Read(queriesPath, qrelsPath);
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        Run result;
        using (var line = output.Progress("searching", "queries", "queries/s"))
        {
            // Reported from several workers at once: the bag and the line are thread-safe.
            var progress = new DirectProgress<SearchProgress>(p =>
            {
                latencies.Add(p.Latency.TotalMilliseconds);
                line.Update(p.Completed, list.Count);
            });
            result = searcher.SearchAll(list, k, progress, threads, cancellationToken);
        }
        var elapsed = clock.Elapsed;
        QueryInput.WarnMissing(searcher, list, result);
        RunWriter.Write(result, runPath, searcher.ToString());
        output.Info(string.Create(CultureInfo.InvariantCulture,
            $"searched {list.Count:N0} queries (top {k}) in {elapsed.TotalSeconds:F2} s ({list.Count / Math.Max(elapsed.TotalSeconds, 1e-9):F1} queries/s); "
            + $"latency {LatencySummary.Of(latencies, 2)}; wrote {runPath} ({searcher})"));
        return 0;
    }
}
