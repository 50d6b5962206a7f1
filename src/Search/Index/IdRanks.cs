using System.Runtime.CompilerServices;
using Lucene.Net.Index;

namespace SearchRerank.Search.Index;

/// <summary>
/// For every document number of a commit, the rank of its external id in UTF-8 byte order — the order in which
/// trec_eval breaks score ties. Sorted doc values keep ids in exactly that order, so the ranks are the global ordinals
/// of the id field (one merge of the segments' sorted terms, no string comparison). A collector then breaks ties with
/// one integer comparison instead of comparing strings. Computed once per commit and shared by its searches.
/// </summary>
internal static class IdRanks
{
    private static readonly ConditionalWeakTable<IndexReader, int[]> Cache = new();

    public static int[] For(IndexReader reader) => Cache.GetValue(reader, Compute);

    private static int[] Compute(IndexReader reader)
    {
        var ranks = new int[reader.MaxDoc];
        if (reader.MaxDoc == 0)
            return ranks;
        var values = MultiDocValues.GetSortedValues(reader, IndexSchema.Id)
            ?? throw new SearchException("the index has no id doc values; rebuild it with 'searchrerank index'");
        for (var doc = 0; doc < ranks.Length; doc++)
            ranks[doc] = values.GetOrd(doc);
        return ranks;
    }
}
