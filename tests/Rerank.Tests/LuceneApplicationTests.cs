using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace SearchRerank.Rerank.Tests;

/// <summary>
/// The plug-in promise: an application with its own Lucene index (its own IndexWriter, analyzer and field names,
/// nothing of SearchRerank's) re-ranks the TopDocs of its own IndexSearcher with the cross-encoder, as in the README.
/// </summary>
public sealed class LuceneApplicationTests(SciFactIndexFixture fixture) : IClassFixture<SciFactIndexFixture>
{
    [Fact]
    public void AnApplicationsOwnIndexIsReRankedThroughTheRescorer()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new StandardAnalyzer(LuceneVersion.LUCENE_48))))
        {
            foreach (var document in fixture.Documents.Take(200))
                writer.AddDocument(new Lucene.Net.Documents.Document
                {
                    new StringField("key", document.Id, Field.Store.YES),
                    new TextField("headline", document.Title, Field.Store.YES),
                    new TextField("body", document.Text, Field.Store.YES),
                });
            writer.Commit();
        }

        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);
        const string question = "brain development in infants";
        var query = new MultiFieldQueryParser(LuceneVersion.LUCENE_48, ["headline", "body"], new StandardAnalyzer(LuceneVersion.LUCENE_48)).Parse(question);
        var firstPass = searcher.Search(query, 50);
        Assert.True(firstPass.ScoreDocs.Length >= 20);

        var rescorer = new CrossEncoderRescorer(fixture.Encoder, question, new CrossEncoderRescorerOptions { Fields = ["headline", "body"] });
        var reranked = rescorer.Rescore(searcher, firstPass, 10);

        Assert.Equal(10, reranked.ScoreDocs.Length);
        Assert.Equal(firstPass.TotalHits, reranked.TotalHits);
        var texts = firstPass.ScoreDocs.Select(d => searcher.Doc(d.Doc)).Select(d => d.Get("headline") + " " + d.Get("body")).ToArray();
        var logits = fixture.Encoder.Predict(texts.Select(t => (question, t)).ToArray());
        var expected = firstPass.ScoreDocs.Zip(logits, (d, logit) => (d.Doc, Logit: logit))
            .OrderByDescending(p => p.Logit).ThenBy(p => p.Doc).Take(10).ToArray();
        Assert.Equal(expected.Select(p => p.Doc), reranked.ScoreDocs.Select(d => d.Doc));
        Assert.Equal(expected.Select(p => p.Logit), reranked.ScoreDocs.Select(d => d.Score), (a, b) => Math.Abs(a - b) < 1e-5);

        var explanation = rescorer.Explain(searcher, searcher.Explain(query, reranked.ScoreDocs[0].Doc), reranked.ScoreDocs[0].Doc);
        Assert.Equal(reranked.ScoreDocs[0].Score, explanation.Value, 5);
        Assert.Contains("headline + body", explanation.GetDetails()[0].Description);
    }

    [Theory]
    [InlineData("title", "the project's default field name on an application's index")]
    [InlineData("bodyy", "a typo")]
    [InlineData("sku", "a field that is indexed but not stored")]
    public void FieldsTheCandidatesDoNotStoreAreAnErrorNamingTheStoredOnes(string field, string why)
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new StandardAnalyzer(LuceneVersion.LUCENE_48))))
        {
            writer.AddDocument(new Lucene.Net.Documents.Document
            {
                new TextField("headline", "Aspirin and the heart", Field.Store.YES),
                new TextField("body", "Daily aspirin lowers heart attack risk.", Field.Store.YES),
                new StringField("sku", "A-17", Field.Store.NO),
            });
            writer.Commit();
        }
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);
        var firstPass = searcher.Search(new TermQuery(new Term("body", "aspirin")), 10);
        var rescorer = new CrossEncoderRescorer(fixture.Encoder, "aspirin", new CrossEncoderRescorerOptions { Fields = [field] });
        var error = Assert.Throws<ArgumentException>(() => rescorer.Rescore(searcher, firstPass, 10));
        Assert.True(error.Message.StartsWith($"document 0 stores none of the fields '{field}'", StringComparison.Ordinal), why + ": " + error.Message);
        Assert.EndsWith("its stored fields are 'body', 'headline'", error.Message);
    }

    [Fact]
    public void AtLeastOneFieldMustMakeTheDocumentText() =>
        Assert.Throws<ArgumentException>(() => new CrossEncoderRescorer(fixture.Encoder, "q", new CrossEncoderRescorerOptions { Fields = [] }));
}
