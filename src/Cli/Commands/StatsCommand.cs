using System.CommandLine;
using System.Globalization;
using SearchRerank.Search;
using Spectre.Console;

namespace SearchRerank.Cli.Commands;

/// <summary><c>searchrerank stats --index DIR</c>: what an index holds and how it was built.</summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory", Required = true };
        var command = new Command("stats", "Show document count, lengths, vocabulary, size and settings of an index") { index };
        CommandAction.Set(command, (parseResult, _) =>
        {
            using var searcher = Searcher.Open(parseResult.GetValue(index)!);
            var stats = searcher.GetStatistics();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("property").AddColumn(new TableColumn("value").RightAligned());
            void Row(string name, FormattableString value) => table.AddRow(name, Markup.Escape(value.ToString(CultureInfo.InvariantCulture)));
            Row("index", $"{stats.Directory}");
            Row("documents", $"{stats.DocumentCount:N0}");
            Row("vocabulary (distinct terms)", $"{stats.VocabularySize:N0}");
            Row("mean title length (terms)", $"{stats.AverageTitleLength:F2}");
            Row("mean text length (terms)", $"{stats.AverageTextLength:F2}");
            Row("analyzer", $"{stats.Metadata.Analyzer}");
            Row("default BM25", $"k1={stats.Metadata.K1} b={stats.Metadata.B}");
            Row("size on disk", $"{stats.SizeBytes / 1048576.0:F1} MiB");
            Row("committed batches (generation)", $"{stats.Generation:N0}");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
