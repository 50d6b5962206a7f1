using SearchRerank.Core;
using SearchRerank.Search.Index;

namespace SearchRerank.Search.Tests;

public class CollectionFingerprintTests
{
    private static CollectionFingerprint Of(params CorpusDocument[] documents)
    {
        using var dir = SearcherTests.Build(documents);
        using var searcher = Searcher.Open(dir.Path);
        return CollectionFingerprint.Of(searcher);
    }

    [Fact]
    public void TheSameDocumentsInAnyOrderGiveTheSameFingerprint()
    {
        var a = Of(new("d1", "", "one"), new("d2", "", "two"), new("d10", "", "ten"));
        var b = Of(new("d10", "", "other text"), new("d1", "", "one"), new("d2", "", "two"));
        Assert.Equal(a, b);
        Assert.Equal(3, a.Documents);
        Assert.Matches("^[0-9a-f]{16}$", a.Hash);
    }

    [Fact]
    public void OneDocumentMoreOrLessIsAnotherCollection()
    {
        var a = Of(new("d1", "", "one"), new("d2", "", "two"));
        Assert.NotEqual(a, Of(new("d1", "", "one"), new("d2", "", "two"), new("d3", "", "three")));
        Assert.NotEqual(a, Of(new CorpusDocument("d1", "", "one")));
        // Ids are separated, so "d1"+"d2" is not "d1d2".
        Assert.NotEqual(Of(new("d1", "", "x"), new("d2", "", "y")).Hash, Of(new CorpusDocument("d1d2", "", "x")).Hash);
    }

    [Fact]
    public void DeletedDocumentsAreNotPartOfTheCollection()
    {
        using var dir = SearcherTests.Build([new("d1", "", "one"), new("d2", "", "two"), new("d3", "", "three")]);
        using (var writer = Indexer.Open(dir.Path))
            Assert.True(writer.Delete("d3"));
        using var searcher = Searcher.Open(dir.Path);
        Assert.Equal(Of(new("d1", "", "one"), new("d2", "", "two")), CollectionFingerprint.Of(searcher));
    }
}
