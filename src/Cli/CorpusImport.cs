using System.Diagnostics;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Cli;

/// <summary>
/// How every command that builds an index (<c>index</c>, <c>experiment --corpus</c>, <c>quickstart</c>) imports a
/// corpus file: checked before any folder is created, one progress line against the file's line count, optionally
/// merged into one segment, and no empty index left behind when bad input stops a new index before its first commit
/// (a later batch's failure keeps the committed batches, which a re-run resumes from). A cancellation (Ctrl-C, SIGTERM)
/// abandons the batch in flight and becomes a <see cref="StoppedException"/> that says what the index keeps.
/// </summary>
internal sealed record CorpusImport(ImportSummary Summary, IndexMetadata Metadata, TimeSpan OptimizeTime)
{
    public static CorpusImport Run(CliOutput output, string corpusPath, string indexPath, IndexerOptions options, bool optimize,
        CancellationToken cancellationToken)
    {
        // Fails on a missing or unknown corpus file before the index folder is created.
        CorpusReader.Read(corpusPath);
        var created = IsMissingOrEmpty(indexPath);
        var expected = LineCount.NonEmpty(corpusPath);
        using var writer = Indexer.Open(indexPath, options);
        ImportSummary summary;
        try
        {
            using var line = output.Progress("indexing", "documents", "docs/s");
            // A resumed import counts from where it resumes, so share and time left are those of the whole file.
            summary = writer.Import(corpusPath, new DirectProgress<ImportProgress>(p =>
            {
                line.StartAt(p.Resumed);
                var position = p.Resumed + p.Documents;
                line.Update(position, Math.Max(expected, position));
            }), cancellationToken);
        }
        catch (Exception ex)
        {
            writer.Dispose();
            if (created && HoldsNoDocument(indexPath))
            {
                Directory.Delete(indexPath, recursive: true);
                if (ex is OperationCanceledException cancelled)
                    throw new StoppedException($"no document was committed, so {indexPath} was removed", cancelled);
            }
            else if (ex is OperationCanceledException cancelled)
            {
                throw new StoppedException(string.Create(CultureInfo.InvariantCulture,
                    $"index {indexPath} keeps its last commit ({CommittedDocuments(indexPath):N0} documents); run the same command again to resume"), cancelled);
            }
            throw;
        }
        var clock = Stopwatch.StartNew();
        if (optimize)
            writer.Optimize();
        return new CorpusImport(summary, writer.Metadata, clock.Elapsed);
    }

    /// <summary>True when <paramref name="indexPath"/> does not exist or holds nothing: an import there creates the index.</summary>
    public static bool IsMissingOrEmpty(string indexPath) =>
        !Directory.Exists(indexPath) || !Directory.EnumerateFileSystemEntries(indexPath).Any();

    private static bool HoldsNoDocument(string indexPath)
    {
        using var searcher = Searcher.Open(indexPath);
        var stats = searcher.GetStatistics();
        return stats.DocumentCount == 0 && stats.DeletedDocuments == 0;
    }

    private static long CommittedDocuments(string indexPath)
    {
        using var searcher = Searcher.Open(indexPath);
        return searcher.DocumentCount;
    }
}
