using System.CommandLine;
using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Store;
using SearchRerank.Rerank.Pretokenization;
using SearchRerank.Search;
using Spectre.Console;

namespace SearchRerank.Cli.Commands;

/// <summary><c>searchrerank stats --index DIR [--check]</c>: what an index holds and how it was built; --check runs Lucene's CheckIndex.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory", Required = true };
        var check = new Option<bool>("--check") { Description = "Also verify every segment with Lucene's CheckIndex (reads the whole index)" };
        var command = new Command("stats", "Show documents, deleted documents, terms, segments, size and settings of an index") { index, check };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var path = parseResult.GetValue(index)!;
            using var searcher = Searcher.Open(path);
            var stats = searcher.GetStatistics();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("property").AddColumn(new TableColumn("value").RightAligned());
            void Row(string name, FormattableString value) => table.AddRow(name, Markup.Escape(value.ToString(CultureInfo.InvariantCulture)));
            Row("index", $"{stats.Directory}");
            Row("documents", $"{stats.DocumentCount:N0}");
            Row("deleted documents", $"{stats.DeletedDocuments:N0}");
            Row("terms (distinct, search field)", $"{stats.Terms:N0}");
            Row("segments", $"{stats.Segments:N0}");
            Row("size on disk", $"{stats.SizeBytes / 1048576.0:F1} MiB ({stats.SizeBytes:N0} bytes)");
            Row("analyzer", $"{stats.Metadata.Analyzer}");
            Row("default BM25", $"k1={stats.Metadata.K1} b={stats.Metadata.B}");
            Row("commit generation (one per commit)", $"{stats.Generation:N0}");
            foreach (var (fingerprint, count) in Pretokenizer.Count(searcher).OrderBy(p => p.Key, StringComparer.Ordinal))
                Row($"pre-tokenized (tokenizer {fingerprint})", $"{count:N0} of {stats.DocumentCount:N0}");
            AnsiConsole.Write(table);
            if (stats.DeletedDocuments > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{stats.DeletedDocuments:N0} deleted or replaced documents still count in the BM25 statistics (N, df, avgdl) until 'searchrerank optimize --index {path}' merges them away"));
            if (!parseResult.GetValue(check))
                return 0;
            using var directory = FSDirectory.Open(path);
            var status = new CheckIndex(directory).DoCheckIndex();
            Console.WriteLine(status.Clean
                ? $"CheckIndex: clean ({status.NumSegments} segments)"
                : $"CheckIndex: {status.TotLoseDocCount} documents in broken segments; the index needs rebuilding");
            return status.Clean ? 0 : CommandAction.Failure;
        });
        return command;
    }
}
