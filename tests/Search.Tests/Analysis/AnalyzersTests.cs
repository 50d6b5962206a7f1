using SearchRerank.Search.Analysis;

namespace SearchRerank.Search.Tests.Analysis;

public class AnalyzersTests
{
    private static List<string> Terms(string analyzer, string text) => Analyzers.Terms(Analyzers.Create(analyzer), "contents", text);

    [Fact]
    public void EnglishIsLucenesChainOfPossessiveLowercaseStopwordsAndPorter()
    {
        Assert.Equal(["cat", "chase", "mice", "dog", "run"], Terms("english", "The cat's chasing mice; the DOGS running!"));
        Assert.Equal(["e.g", "o'neil", "paid", "3.14", "1,000"], Terms("english", "e.g. O'Neil paid 3.14 for 1,000"));
    }

    [Fact]
    public void VariantsDropOnlyWhatTheirNameSays()
    {
        Assert.Equal(["the", "cat", "chase", "mice"], Terms("english-nostop", "The cat's chasing mice"));
        Assert.Equal(["cat's", "chasing", "mice"], Terms("standard", "The cat's chasing mice"));
        Assert.Equal(["the", "cat's", "chasing", "mice"], Terms("lowercase", "The cat's chasing mice"));
    }

    [Fact]
    public void NamesAreCaseInsensitiveAndUnknownNamesListTheChoices()
    {
        Assert.Equal("english", Analyzers.Canonical(" English "));
        var error = Assert.Throws<ArgumentException>(() => Analyzers.Create("klingon"));
        Assert.Contains("unknown analyzer 'klingon'", error.Message);
        Assert.Contains(string.Join(", ", Analyzers.Names), error.Message);
        Assert.Equal(Analyzers.English, Analyzers.Names[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n")]
    [InlineData("!!! ??? ...")]
    [InlineData("the and of a")]
    [InlineData("\0\0")]
    public void TextWithoutSearchableTermsGivesNone(string text) => Assert.Empty(Terms("english", text));

    [Fact]
    public void ToleratesUnpairedSurrogatesNulAndSkipsHugeTokensAsLuceneDoes()
    {
        Assert.Equal(["cat", "mat"], Terms("english", "cat\uD800 mat\0"));
        // StandardTokenizer drops tokens longer than its 255-character limit instead of cutting them.
        Assert.Equal(["befor", "after"], Terms("english", "before " + new string('x', 100_000) + " after"));
    }
}
