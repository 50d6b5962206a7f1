using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Rerank.Pretokenization;
using SearchRerank.Rerank.Tokenization.HuggingFace;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank pretokenize --index DIR --model DIR</c>: stores the token ids (WordPiece, BPE or Unigram, whatever the
/// model folder's tokenizer is) of every indexed document's title + text in the index itself (binary doc values tagged with the tokenizer's fingerprint), so re-ranking with a
/// model of the same vocabulary skips tokenizing candidates. Documents added or replaced later have no ids until the
/// next run, which tokenizes only those.
/// </summary>
internal static class PretokenizeCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory built by 'searchrerank index'", Required = true };
        var model = new Option<string>("--model") { Description = "Model directory with tokenizer.json, or vocab.txt (+ tokenizer_config.json)", Required = true };

        var command = new Command("pretokenize", "Store the token ids of every indexed document in the index, for re-ranking with this model's tokenizer")
        {
            index, model,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var indexPath = parseResult.GetValue(index)!;
            var tokenizer = HuggingFaceTokenizer.FromDirectory(parseResult.GetValue(model)!);
            long total;
            using (var searcher = Searcher.Open(indexPath))
                total = searcher.DocumentCount;
            using var writer = Indexer.Open(indexPath);
            PretokenizeSummary summary;
            using (var line = CliOutput.From(parseResult).Progress("tokenizing", "documents", "docs/s"))
                summary = Pretokenizer.Run(writer, tokenizer.Fingerprint, tokenizer.Tokenize,
                    new DirectProgress<PretokenizeProgress>(p => line.Update(p.Documents, total)), cancellationToken);
            var s = summary;
            var seconds = Math.Max(s.Elapsed.TotalSeconds, 1e-9);
            CliOutput.From(parseResult).Info(string.Create(CultureInfo.InvariantCulture,
                $"tokenized {s.Tokenized:N0} documents ({s.AlreadyTokenized:N0} already held ids of this tokenizer), {s.Tokens:N0} token ids "
                + $"({(double)s.Tokens / Math.Max(s.Tokenized, 1):F1} per document) in {seconds:F1} s ({s.Tokenized / seconds:N0} docs/s), "
                + $"{s.Commits} commits; tokenizer fingerprint {tokenizer.Fingerprint}; index {indexPath}"));
            return 0;
        });
        return command;
    }
}
