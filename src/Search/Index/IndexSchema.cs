using Lucene.Net.Documents;
using Lucene.Net.Util;
using SearchRerank.Core;

namespace SearchRerank.Search.Index;

/// <summary>
/// The fields of one document in a SearchRerank index (a plain Lucene index; any Lucene tool can read it):
/// <list type="bullet">
/// <item><see cref="Id"/>: the external id, un-analysed: indexed as one term (lookups, updates and deletes by id),
/// stored, and in sorted doc values (fast id reads for run files and the trec_eval tie-break, no stored-field read).</item>
/// <item><see cref="Title"/>, <see cref="Text"/>: stored verbatim; the re-ranker and the library's hits read them.</item>
/// <item><see cref="Contents"/>: the analysed search field, <c>title + " " + text</c> (Anserini's flat setting), with
/// positions so that phrase queries work; not stored.</item>
/// <item><see cref="WordPieceIds"/>: binary doc values holding the document's pre-tokenized model input
/// (the re-ranker's pre-tokenized ids), empty until <c>pretokenize</c> fills it. It belongs to the document, so replacing or
/// deleting the document replaces or deletes its ids with it.</item>
/// </list>
/// </summary>
internal static class IndexSchema
{
    public const string Id = "id";
    public const string Title = "title";
    public const string Text = "text";
    public const string Contents = "contents";
    public const string WordPieceIds = "wordpiece";

    /// <summary>The Lucene document for <paramref name="document"/>, without pre-tokenized ids.</summary>
    internal static Document ToLucene(CorpusDocument document) =>
    [
        new StringField(Id, document.Id, Field.Store.YES),
        new SortedDocValuesField(Id, new BytesRef(document.Id)),
        new StoredField(Title, document.Title),
        new StoredField(Text, document.Text),
        new TextField(Contents, CorpusDocument.TitleAndText(document.Title, document.Text), Field.Store.NO),
        // Doc-values updates need the field to exist; an empty value means "not pre-tokenized".
        new BinaryDocValuesField(WordPieceIds, new BytesRef()),
    ];
}
