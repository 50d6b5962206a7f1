using Lucene.Net.Index;
using Lucene.Net.Store;
using SearchRerank.Core;
using SearchRerank.Rerank.Pretokenization;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank.Tests.Pretokenization;

public class PretokenizerTests
{
    private static CorpusDocument Doc(string id, string text, string title = "") => new(id, title, text);

    [Fact]
    public void PretokenizeStoresIdsOnceAndAReplacedDocumentLosesItsStaleIds()
    {
        using var dir = new TempDirectory();
        using var writer = Indexer.Open(dir.Path);
        writer.Write([Doc("a", "one two", "T"), Doc("b", "three"), Doc("c", "four five six")]);
        int[] Tokenize(string text) => text.Split(' ').Select(w => w.Length).ToArray();
        var reports = new List<PretokenizeProgress>();
        var first = Pretokenizer.Run(writer, "fp1", Tokenize, new DirectProgress<PretokenizeProgress>(reports.Add));
        Assert.Equal((3L, 0L, 7L, 1), (first.Tokenized, first.AlreadyTokenized, first.Tokens, first.Commits));
        Assert.Equal(3, reports[^1].Documents);

        writer.Write(Doc("b", "replaced text"));
        var second = Pretokenizer.Run(writer, "fp1", Tokenize);
        Assert.Equal((1L, 2L, 2L), (second.Tokenized, second.AlreadyTokenized, second.Tokens));
        var other = Pretokenizer.Run(writer, "fp2", Tokenize);
        Assert.Equal((3L, 0L), (other.Tokenized, other.AlreadyTokenized));

        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(new Dictionary<string, long> { ["fp2"] = 3 }, Pretokenizer.Count(searcher));
        using var snapshot = searcher.Acquire();
        var values = MultiDocValues.GetBinaryValues(snapshot.IndexSearcher.IndexReader, IndexSchema.WordPieceIds);
        var bytes = new Lucene.Net.Util.BytesRef();
        values.Get(snapshot.Find("a"), bytes);
        Assert.True(PretokenizedIds.TryDecode(bytes, "fp2", out var ids));
        Assert.Equal([1, 3, 3], ids); // "T one two"
        values.Get(snapshot.Find("b"), bytes);
        Assert.True(PretokenizedIds.TryDecode(bytes, "fp2", out ids));
        Assert.Equal([8, 4], ids);
        Assert.False(PretokenizedIds.TryDecode(bytes, "fp1", out _));
        using var directory = FSDirectory.Open(dir.Path);
        Assert.True(new CheckIndex(directory).DoCheckIndex().Clean);
    }
}
