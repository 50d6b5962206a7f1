// An existing Lucene.Net application: its own IndexWriter, StandardAnalyzer, fields headline/body/sku and query
// parser. Re-ranking its first pass is the part after "Second pass". Usage:
//   LuceneAppRerank <corpus.jsonl> <model folder> [query]
using System.Text.Json;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using SearchRerank.Rerank;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: LuceneAppRerank <corpus.jsonl> <model folder> [query]");
    return 2;
}
var (corpusPath, modelFolder) = (args[0], args[1]);
var queryText = args.Length > 2 ? args[2] : "brain development in infants";
const LuceneVersion Version = LuceneVersion.LUCENE_48;

// The application's index: 2,000 articles as products of a catalogue.
using var directory = new RAMDirectory();
using var analyzer = new StandardAnalyzer(Version);
using (var writer = new IndexWriter(directory, new IndexWriterConfig(Version, analyzer)))
{
    foreach (var line in File.ReadLines(corpusPath).Take(2000))
    {
        using var json = JsonDocument.Parse(line);
        var article = json.RootElement;
        writer.AddDocument(new Document
        {
            new StringField("sku", "SKU-" + article.GetProperty("_id").GetString(), Field.Store.YES),
            new TextField("headline", article.GetProperty("title").GetString(), Field.Store.YES),
            new TextField("body", article.GetProperty("text").GetString(), Field.Store.YES),
        });
    }
    writer.Commit();
}
using var reader = DirectoryReader.Open(directory);
var searcher = new IndexSearcher(reader);
var query = new MultiFieldQueryParser(Version, ["headline", "body"], analyzer).Parse(QueryParserBase.Escape(queryText));

// First pass: the application's own BM25 query.
var firstPass = searcher.Search(query, 50);
Console.WriteLine($"query: {queryText}");
Console.WriteLine($"BM25 top 5 of {firstPass.TotalHits} hits:");
foreach (var hit in firstPass.ScoreDocs.Take(5))
    Console.WriteLine($"  {searcher.Doc(hit.Doc).Get("sku"),-14} {hit.Score,8:F3}  {Headline(hit.Doc)}");

// Second pass: the cross-encoder re-scores the 50 candidates from the fields that make the document text.
CrossEncoder encoder;
try
{
    encoder = CrossEncoder.Load(modelFolder);
}
catch (RerankException ex)
{
    // One exception type for every loading problem (a missing or broken file, no ONNX Runtime native package); the
    // message names the file or the package.
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
using var _ = encoder;
var rescorer = new CrossEncoderRescorer(encoder, queryText, new CrossEncoderRescorerOptions { Fields = ["headline", "body"] });
var reranked = rescorer.Rescore(searcher, firstPass, 5);
Console.WriteLine($"re-ranked top 5 ({encoder.ExecutionProvider}):");
foreach (var hit in reranked.ScoreDocs.Cast<RescoredDoc>())
    Console.WriteLine($"  {searcher.Doc(hit.Doc).Get("sku"),-14} {hit.Score,8:F3}  (BM25 {hit.FirstStageScore:F3})  {Headline(hit.Doc)}");
var top = reranked.ScoreDocs[0].Doc;
Console.WriteLine("why the first: " + rescorer.Explain(searcher, searcher.Explain(query, top), top).Description);

// A field the documents do not store (here a typo) is an error that names it and the stored fields, not a silent
// re-ranking that gives every candidate the same score.
try
{
    new CrossEncoderRescorer(encoder, queryText, new CrossEncoderRescorerOptions { Fields = ["headline", "bodyy"] }).Rescore(searcher, firstPass, 5);
    Console.WriteLine("misconfigured rescorer: no error");
    return 1;
}
catch (RerankException ex)
{
    Console.WriteLine($"misconfigured rescorer: {ex.Message}");
}
return 0;

string Headline(int doc)
{
    var headline = searcher.Doc(doc).Get("headline");
    return headline.Length <= 70 ? headline : headline[..70] + "…";
}
