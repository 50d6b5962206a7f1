using Lucene.Net.Index;

namespace SearchRerank.Search.Index;

/// <summary>Reads the stored id, title and text of one Lucene document back into a <see cref="Core.CorpusDocument"/>.</summary>
internal static class StoredDocuments
{
    private static readonly ISet<string> Fields = new HashSet<string> { IndexSchema.Id, IndexSchema.Title, IndexSchema.Text };

    /// <summary>The document with number <paramref name="doc"/> of <paramref name="reader"/> (a segment's or the whole index's).</summary>
    /// <exception cref="SearchException">The stored fields of the index in <paramref name="indexPath"/> are damaged.</exception>
    public static Core.CorpusDocument Read(IndexReader reader, int doc, string indexPath) =>
        IndexDamage.Guard(indexPath, $"reading the stored fields of document {doc}", () =>
        {
            var stored = reader.Document(doc, Fields);
            return new Core.CorpusDocument(stored.Get(IndexSchema.Id) ?? DocumentIds.Of(reader, doc),
                stored.Get(IndexSchema.Title) ?? string.Empty, stored.Get(IndexSchema.Text) ?? string.Empty);
        });
}
