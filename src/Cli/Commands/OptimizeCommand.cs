using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank optimize --index DIR</c>: merges the index into one segment (Lucene's force merge), which drops
/// replaced and deleted documents from the BM25 statistics and gives queries one posting list per term.
/// </summary>
public static class OptimizeCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory", Required = true };
        var command = new Command("optimize", "Merge an index into one segment: removes deleted documents from the BM25 statistics") { index };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var path = parseResult.GetValue(index)!;
            IndexStatistics before;
            using (var searcher = Searcher.Open(path))
                before = searcher.GetStatistics();
            var clock = Stopwatch.StartNew();
            using (var writer = Indexer.Open(path))
                writer.Optimize();
            var seconds = clock.Elapsed.TotalSeconds;
            using var after = Searcher.Open(path);
            var stats = after.GetStatistics();
            CliOutput.From(parseResult).Info(string.Create(CultureInfo.InvariantCulture,
                $"optimized {path} in {seconds:F1} s: {before.Segments} → {stats.Segments} segments, {before.DeletedDocuments:N0} → {stats.DeletedDocuments:N0} deleted documents, "
                + $"{before.SizeBytes / 1048576.0:F1} → {stats.SizeBytes / 1048576.0:F1} MiB"));
            return 0;
        });
        return command;
    }
}
