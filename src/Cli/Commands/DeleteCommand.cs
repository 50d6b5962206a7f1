using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank delete --index DIR (--id ID … | --ids FILE)</c>: deletes documents by id, one commit per batch.
/// The index must exist (a typo in the path must not create an empty one); ids it does not hold are counted, not errors.
/// </summary>
public static class DeleteCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory (must exist)", Required = true };
        var ids = new Option<string[]>("--id") { Description = "Document id to delete; repeatable", AllowMultipleArgumentsPerToken = true };
        var idsFile = new Option<string?>("--ids") { Description = "File of document ids to delete, one per line (a TSV's first column); blank lines skipped" };
        var batchSize = new Option<int>("--batch-size") { Description = "Ids per commit", DefaultValueFactory = _ => IndexerOptions.DefaultBatchSize };
        var command = new Command("delete", "Delete documents by id (one commit per batch; they leave the BM25 statistics at the next optimize)")
        {
            index, ids, idsFile, batchSize,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(index)!;
            var given = parseResult.GetValue(ids) ?? [];
            var file = parseResult.GetValue(idsFile);
            if (given.Length == 0 && file is null)
                throw new ArgumentException("delete needs --id ID (repeatable) or --ids FILE");
            var wanted = given.Concat(file is null ? [] : ReadIds(file)).ToList();
            using (Searcher.Open(path))
            {
                // Opened only to fail on a missing or foreign folder before a writer would create an index there.
            }
            ImportSummary summary;
            IndexStatistics stats;
            using (var writer = Indexer.Open(path, new IndexerOptions { BatchSize = parseResult.GetValue(batchSize) }))
                summary = writer.Delete(wanted, cancellationToken);
            using (var searcher = Searcher.Open(path))
                stats = searcher.GetStatistics();
            var distinct = wanted.Distinct(StringComparer.Ordinal).Count();
            CliOutput.From(parseResult).Info(string.Create(CultureInfo.InvariantCulture,
                $"deleted {summary.Deleted:N0} of {distinct:N0} ids ({distinct - summary.Deleted:N0} not in the index) in {summary.Batches} {(summary.Batches == 1 ? "commit" : "commits")}; "
                + $"{stats.DocumentCount:N0} documents left, {stats.DeletedDocuments:N0} deleted ones still count in BM25 statistics until 'optimize'"));
            return 0;
        });
        return command;
    }

    private static IEnumerable<string> ReadIds(string file)
    {
        if (!File.Exists(file))
            throw new DataFormatException(file, 0, "ids file not found");
        foreach (var line in File.ReadLines(file))
        {
            var id = line.Split('\t')[0].Trim();
            if (id.Length == 0)
                continue;
            yield return id;
        }
    }
}
