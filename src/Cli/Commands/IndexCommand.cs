using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Search.Analysis;
using SearchRerank.Search.Index;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank index --corpus FILE --index DIR [--analyzer NAME] [--k1 X] [--b Y] [--batch-size N] [--no-optimize]</c>:
/// imports a BEIR corpus.jsonl or TSV file into a Lucene index (created when missing), one commit per batch;
/// documents with an id already present replace it. Re-running after an interruption resumes after the last commit.
/// </summary>
public static class IndexCommand
{
    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "Corpus file: BEIR corpus.jsonl (_id, title, text) or .tsv (id, [title,] text)", Required = true };
        var index = new Option<string>("--index") { Description = "Index directory (created when missing)", Required = true };
        var analyzer = new Option<string?>("--analyzer") { Description = $"Analyzer for a new index: {string.Join(" | ", Analyzers.Names)} (default {Analyzers.English}); an existing index keeps its own" };
        var k1 = new Option<double?>("--k1") { Description = $"Default BM25 k1 recorded in the index ({IndexMetadata.DefaultK1} unless set)" };
        var b = new Option<double?>("--b") { Description = $"Default BM25 b recorded in the index ({IndexMetadata.DefaultB} unless set)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Documents per commit", DefaultValueFactory = _ => IndexerOptions.DefaultBatchSize };
        var noOptimize = new Option<bool>("--no-optimize") { Description = "Skip merging the index into one segment after the import (faster import, slower queries)" };

        var command = new Command("index", "Import a corpus file into a BM25 index (add or replace by id; resumes an interrupted import)")
        {
            corpus, index, analyzer, k1, b, batchSize, noOptimize,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var corpusPath = parseResult.GetValue(corpus)!;
            var indexPath = parseResult.GetValue(index)!;
            var options = new IndexerOptions
            {
                Analyzer = parseResult.GetValue(analyzer),
                K1 = parseResult.GetValue(k1),
                B = parseResult.GetValue(b),
                BatchSize = parseResult.GetValue(batchSize),
            };
            var output = CliOutput.From(parseResult);
            var import = CorpusImport.Run(output, corpusPath, indexPath, options, optimize: !parseResult.GetValue(noOptimize), cancellationToken);
            var s = import.Summary;
            var size = new DirectoryInfo(indexPath).EnumerateFiles().Sum(file => file.Length);
            if (s.AlreadyImported)
            {
                output.Info(string.Create(CultureInfo.InvariantCulture,
                    $"nothing to import: the last commit of {indexPath} holds this file's finished import ({s.Resumed:N0} documents), unchanged since; "
                    + $"optimize {import.OptimizeTime.TotalSeconds:F1} s; index {indexPath} is {size / 1048576.0:F1} MiB"));
                return 0;
            }
            var resumed = s.Resumed > 0 ? string.Create(CultureInfo.InvariantCulture, $"resumed after {s.Resumed:N0} documents committed by an interrupted run; ") : "";
            output.Info(string.Create(CultureInfo.InvariantCulture,
                $"indexed {s.Documents:N0} documents in {s.Elapsed.TotalSeconds:F1} s ({s.DocumentsPerSecond:N0} docs/s): {resumed}"
                + $"{s.Added:N0} added, {s.Updated:N0} updated, {s.Duplicates:N0} duplicates, {s.Deleted:N0} deleted; "
                + $"{s.Batches} {(s.Batches == 1 ? "commit" : "commits")}; optimize {import.OptimizeTime.TotalSeconds:F1} s; analyzer {import.Metadata.Analyzer}, defaults k1={import.Metadata.K1} b={import.Metadata.B}; "
                + $"index {indexPath} is {size / 1048576.0:F1} MiB"));
            return 0;
        });
        return command;
    }
}
