using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SearchRerank.Cli.Commands;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Rerank;
using SearchRerank.Search;
using Spectre.Console;

namespace SearchRerank.Cli.Reranking;

/// <summary><c>search --rerank</c>: BM25 top K re-ranked by a cross-encoder, for one query or a queries file.</summary>
internal static class RerankedSearch
{
    /// <summary>
    /// <c>search --rerank</c>: one query prints the re-ranked table with both stage scores; a queries file is re-ranked
    /// query by query (ORT already uses every core) into a TREC run. With <paramref name="explain"/>, the explanation of
    /// that document's final score follows the table, Lucene's first-stage explanation nested inside.
    /// </summary>
    public static int Run(ParseResult parseResult, Searcher searcher, ModelOptions model, int depth,
        string? text, string? queriesPath, string? qrelsPath, int? k, string? runPath, string? explain, CancellationToken cancellationToken)
    {
        var output = CliOutput.From(parseResult);
        using var loaded = model.Load(parseResult, output, searcher);
        var pipeline = loaded.Pipeline(searcher, depth);
        if (text is not null)
        {
            var clock = Stopwatch.StartNew();
            var hits = pipeline.Search(text, k ?? 10, cancellationToken);
            var elapsed = clock.Elapsed;
            if (hits.Count == 0)
            {
                AnsiConsole.WriteLine(SearchCommand.NoResults(searcher, text));
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("rank").RightAligned()).AddColumn("id").AddColumn(new TableColumn("score").RightAligned())
                .AddColumn(new TableColumn("CE").RightAligned()).AddColumn(new TableColumn("BM25").RightAligned()).AddColumn("title");
            for (var i = 0; i < hits.Count; i++)
            {
                var hit = hits[i];
                var title = DisplayText.TitleOf(hit.Title, hit.Text, 80);
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.DocId),
                    hit.Score.ToString("F4", CultureInfo.InvariantCulture), hit.CrossEncoderScore.ToString("F4", CultureInfo.InvariantCulture),
                    hit.FirstStageScore.ToString("F4", CultureInfo.InvariantCulture), Markup.Escape(title));
            }
            AnsiConsole.Write(table);
            loaded.PrintNotices();
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{hits.Count} hits, {searcher} top {depth} re-ranked by {pipeline.RescorerName}, {elapsed.TotalMilliseconds:F1} ms"));
            if (explain is not null)
                Console.Write(pipeline.Explain(text, explain)?.ToString() ?? $"document '{explain}' is not among the first-stage top {depth}\n");
            return 0;
        }

        var outPath = runPath ?? throw new ArgumentException("--queries needs --out FILE for the TREC run to write");
        var list = QueryInput.Read(queriesPath!, qrelsPath);
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        Run result;
        using (var line = output.Progress("search + re-rank", "queries", "queries/s"))
            result = pipeline.SearchAll(list, k ?? depth, new DirectProgress<RerankProgress>(p =>
            {
                latencies.Add(p.Latency.TotalMilliseconds);
                line.Update(p.Completed, list.Count);
            }), cancellationToken);
        QueryInput.WarnMissing(searcher, list, result);
        RunWriter.Write(result, outPath, pipeline.RescorerName);
        loaded.PrintNotices();
        output.Info(string.Create(CultureInfo.InvariantCulture,
            $"searched and re-ranked {list.Count:N0} queries in {total.Elapsed.TotalSeconds:F2} s; per query {LatencySummary.Of(latencies, 1)}; {pipeline}; wrote {outPath}"));
        return 0;
    }
}
