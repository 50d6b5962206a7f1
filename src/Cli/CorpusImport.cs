using System.Diagnostics;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Cli;

/// <summary>
/// How every command that builds an index (<c>index</c>, <c>experiment --corpus</c>, <c>quickstart</c>) imports a
/// corpus file: checked before any folder is created, one progress line against the file's line count, optionally
/// merged into one segment, and no empty index left behind when bad input stops a new index before its first commit
/// (a later batch's failure keeps the committed batches, which a re-run resumes from).
/// </summary>
internal sealed record CorpusImport(ImportSummary Summary, IndexMetadata Metadata, TimeSpan OptimizeTime)
{
    public static CorpusImport Run(CliOutput output, string corpusPath, string indexPath, IndexWriterOptions options, bool optimize,
        CancellationToken cancellationToken)
    {
        // Fails on a missing or unknown corpus file before the index folder is created.
        CorpusReader.Read(corpusPath);
        var created = IsMissingOrEmpty(indexPath);
        var expected = LineCount.NonEmpty(corpusPath);
        using var writer = IndexWriter.Open(indexPath, options);
        ImportSummary summary;
        try
        {
            using var line = output.Progress("indexing", "documents", "docs/s");
            summary = writer.Import(corpusPath, new DirectProgress<ImportProgress>(p => line.Update(p.Documents, Math.Max(expected, p.Documents))), cancellationToken);
        }
        catch (Exception) when (created)
        {
            writer.Dispose();
            if (HoldsNoDocument(indexPath))
                Directory.Delete(indexPath, recursive: true);
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
}
