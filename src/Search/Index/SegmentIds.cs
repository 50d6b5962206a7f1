using Lucene.Net.Index;

namespace SearchRerank.Search.Index;

/// <summary>
/// The external ids of one segment, decoded once from its sorted id doc values into an array by ordinal, so that a
/// hit's id costs one ordinal read and an array access. Valid for every reader of the segment's core (deletions and
/// doc-values updates do not change ids); it holds no reader, since readers of a core come and go.
/// </summary>
internal sealed class SegmentIds
{
    private readonly string[] byOrdinal;

    private SegmentIds(string[] byOrdinal) => this.byOrdinal = byOrdinal;

    public static SegmentIds Load(AtomicReader reader)
    {
        var values = Values(reader);
        var byOrdinal = new string[values.ValueCount];
        var terms = values.GetTermsEnum();
        for (var ordinal = 0; terms.MoveNext(); ordinal++)
            byOrdinal[ordinal] = terms.Term.Utf8ToString();
        return new SegmentIds(byOrdinal);
    }

    /// <summary>The id doc values of <paramref name="reader"/>; the reader caches one instance per thread, so this is cheap.</summary>
    public static SortedDocValues Values(AtomicReader reader) => reader.GetSortedDocValues(IndexSchema.Id)
        ?? throw new SearchException("the index has no id doc values; rebuild it with 'searchrerank index'");

    /// <summary>The id of segment document <paramref name="doc"/>, whose id doc values are <paramref name="values"/>.</summary>
    public string Of(SortedDocValues values, int doc) => byOrdinal[values.GetOrd(doc)];
}
