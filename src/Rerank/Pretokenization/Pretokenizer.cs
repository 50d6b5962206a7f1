using Lucene.Net.Index;
using Lucene.Net.Util;
using SearchRerank.Core;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank.Pretokenization;

/// <summary>
/// Stores a model tokenizer's ids of every document's <c>title + " " + text</c> in the index
/// (<see cref="IndexSchema.WordPieceIds"/>, as <see cref="PretokenizedIds"/> tagged with the tokenizer's fingerprint), so
/// that re-ranking reads them instead of tokenizing (<see cref="CrossEncoderRescorerOptions.PretokenizedField"/>).
/// Documents that already hold ids of the same tokenizer are left alone: a second run only tokenizes documents added or
/// replaced since. Tokenizes on all cores through <see cref="Indexer.StoreBinaryValues"/>.
/// </summary>
internal static class Pretokenizer
{
    public static PretokenizeSummary Run(Indexer indexer, string fingerprint, Func<string, int[]> tokenize, IProgress<PretokenizeProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(indexer);
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        ArgumentNullException.ThrowIfNull(tokenize);
        long tokens = 0;
        var summary = indexer.StoreBinaryValues(IndexSchema.WordPieceIds,
            value => PretokenizedIds.HasFingerprint(value, fingerprint),
            document =>
            {
                var ids = tokenize(CorpusDocument.TitleAndText(document.Title, document.Text));
                Interlocked.Add(ref tokens, ids.Length);
                return PretokenizedIds.Encode(fingerprint, ids);
            },
            progress is null ? null : new DirectProgress<long>(visited => progress.Report(new PretokenizeProgress(visited, Interlocked.Read(ref tokens)))),
            cancellationToken);
        return new PretokenizeSummary(summary.Stored, summary.Current, tokens, summary.Commits, summary.Elapsed);
    }

    /// <summary>Live documents of the searcher's latest commit holding pre-tokenized ids, per tokenizer fingerprint.</summary>
    public static IReadOnlyDictionary<string, long> Count(Searcher searcher)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        using var snapshot = searcher.Acquire();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var value = new BytesRef();
        foreach (var leaf in snapshot.IndexSearcher.IndexReader.Leaves)
        {
            var reader = (AtomicReader)leaf.Reader;
            var values = reader.GetBinaryDocValues(IndexSchema.WordPieceIds);
            var live = reader.LiveDocs;
            for (var doc = 0; values is not null && doc < reader.MaxDoc; doc++)
            {
                if (live is not null && !live.Get(doc))
                    continue;
                values.Get(doc, value);
                if (PretokenizedIds.FingerprintOf(value) is { } fingerprint)
                    counts[fingerprint] = counts.GetValueOrDefault(fingerprint) + 1;
            }
        }
        return counts;
    }
}
