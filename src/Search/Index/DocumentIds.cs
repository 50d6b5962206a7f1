using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace SearchRerank.Search.Index;

/// <summary>
/// Between external document ids and Lucene document numbers: id → number through the indexed id term (live
/// documents only), number → id through the id's sorted doc values (<see cref="SegmentIds"/>), which needs no stored-field read.
/// </summary>
internal static class DocumentIds
{
    private static readonly ConditionalWeakTable<object, SegmentIds> Cache = new();

    /// <summary>The live document with <paramref name="id"/> in <paramref name="reader"/>, or -1.</summary>
    public static int Find(IndexReader reader, string id)
    {
        var term = new Term(IndexSchema.Id, id);
        foreach (var leaf in reader.Leaves)
        {
            var docs = leaf.AtomicReader.GetTermDocsEnum(term);
            if (docs is null)
                continue;
            var doc = docs.NextDoc();
            if (doc != DocIdSetIterator.NO_MORE_DOCS)
                return leaf.DocBase + doc;
        }
        return -1;
    }

    /// <summary>The external id of document <paramref name="doc"/> (a number of <paramref name="reader"/>).</summary>
    public static string Of(IndexReader reader, int doc)
    {
        var leaves = reader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        return Of(leaf, doc - leaf.DocBase);
    }

    /// <summary>The external id of document <paramref name="doc"/> of one segment.</summary>
    public static string Of(AtomicReaderContext leaf, int doc) => ForSegment(leaf.AtomicReader).Of(SegmentIds.Values(leaf.AtomicReader), doc);

    /// <summary>The ids of <paramref name="reader"/>'s segment, decoded on first use and shared by every reader of the segment.</summary>
    public static SegmentIds ForSegment(AtomicReader reader) => Cache.GetValue(reader.CoreCacheKey, _ => SegmentIds.Load(reader));
}
