using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Search;
using Spectre.Console;
using SearchRerank.Core;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank pretokenize --index DIR --model DIR</c>: tokenizes every indexed document with the model's
/// WordPiece tokenizer and stores the ids in <c>DIR/wordpiece-&lt;fingerprint&gt;.sqlite</c>, which re-ranking with a
/// model of the same vocabulary then reads instead of tokenizing candidates.
/// </summary>
public static class PretokenizeCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory built by 'searchrerank index'", Required = true };
        var model = new Option<string>("--model") { Description = "Model directory with tokenizer.json, or vocab.txt (+ tokenizer_config.json)", Required = true };

        var command = new Command("pretokenize", "Store the WordPiece ids of every indexed document for re-ranking with this model's vocabulary")
        {
            index, model,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var indexPath = parseResult.GetValue(index)!;
            var tokenizer = BertTokenizer.FromDirectory(parseResult.GetValue(model)!);
            using var searcher = Searcher.Open(indexPath);
            long total = searcher.DocumentCount;
            string? path = null;
            PretokenizeProgress last = new(0, 0);
            var clock = Stopwatch.StartNew();
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("tokenizing documents", maxValue: Math.Max(total, 1));
                    var progress = new DirectProgress<PretokenizeProgress>(p =>
                    {
                        last = p;
                        task.Value = p.Documents;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"tokenizing: {p.Documents:N0}/{total:N0} documents");
                    });
                    path = DocumentTokenStore.Build(indexPath, tokenizer, searcher.Documents(), progress, cancellationToken);
                    task.Value = task.MaxValue;
                });
            double seconds = clock.Elapsed.TotalSeconds;
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stored {last.Documents:N0} documents, {last.Tokens:N0} WordPiece ids ({(double)last.Tokens / Math.Max(last.Documents, 1):F1} per document) "
                + $"in {seconds:F1} s ({last.Documents / seconds:N0} docs/s, {last.Tokens / seconds:N0} tokens/s) to {path} "
                + $"({new FileInfo(path!).Length / 1048576.0:F1} MiB, tokenizer fingerprint {tokenizer.Fingerprint})"));
            return 0;
        });
        return command;
    }
}
