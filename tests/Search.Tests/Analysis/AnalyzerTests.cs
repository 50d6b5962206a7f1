using SearchRerank.Search.Analysis;

namespace SearchRerank.Search.Tests.Analysis;

public class AnalyzerTests
{
    private static List<string> Tokens(string text)
    {
        var terms = new List<string>();
        var stream = new StandardTokenizer(text);
        while (stream.Next(out var term))
            terms.Add(term);
        return terms;
    }

    [Theory]
    [InlineData("Hello, world!", new[] { "Hello", "world" })]
    [InlineData("e.g. U.S.A. o'neil", new[] { "e.g", "U.S.A", "o'neil" })]
    [InlineData("3.14 1,000,000 x_y 42nd", new[] { "3.14", "1,000,000", "x_y", "42nd" })]
    [InlineData("covid-19 IL-6/IL-10", new[] { "covid", "19", "IL", "6", "IL", "10" })]
    [InlineData("end. Next, a,b 1.a", new[] { "end", "Next", "a", "b", "1", "a" })]
    [InlineData("naïve café résumé", new[] { "naïve", "café", "résumé" })]
    [InlineData("cafe\u0301 x", new[] { "cafe\u0301", "x" })] // combining accent stays with its base
    [InlineData("日本語 text", new[] { "日", "本", "語", "text" })]
    [InlineData("Porter’s dogs' toys", new[] { "Porter’s", "dogs", "toys" })]
    [InlineData("αβγ-δ", new[] { "αβγ", "δ" })]
    [InlineData("___ ... --- ''", new string[0])]
    [InlineData("", new string[0])]
    [InlineData("a\0b", new[] { "a", "b" })]
    public void SplitsOnUnicodeWordBoundaries(string text, string[] expected) => Assert.Equal(expected, Tokens(text));

    [Fact]
    public void CutsOverlongTokensIntoPiecesOfMaxLength()
    {
        var tokens = Tokens(new string('x', 600));
        Assert.Equal([255, 255, 90], tokens.Select(t => t.Length));
    }

    [Fact]
    public void EnglishChainRemovesPossessivesStopwordsAndStems()
    {
        var analyzer = new EnglishAnalyzer();
        Assert.Equal(["porter", "stem", "algorithm", "run", "quickli"],
            analyzer.Analyze("The PORTER'S stemming algorithms are running quickly!"));
        Assert.Equal(["dog", "toi"], analyzer.Analyze("Dog’s toys"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n ")]
    [InlineData("the of and to with")]
    [InlineData("!!! ??? ---")]
    public void EnglishChainYieldsNothingForEmptyOrStopwordOnlyText(string text) => Assert.Empty(new EnglishAnalyzer().Analyze(text));

    [Fact]
    public void EnglishStopListIsLucenes33Words()
    {
        Assert.Equal(33, StopWords.English.Count);
        Assert.Contains("such", (IReadOnlySet<string>)StopWords.English);
        Assert.DoesNotContain("from", (IReadOnlySet<string>)StopWords.English);
    }

    [Fact]
    public void LowerCaseAnalyzerKeepsStopwordsAndDoesNotStem()
    {
        Assert.Equal(["the", "running", "dogs", "İstanbul".ToLowerInvariant()], new LowerCaseAnalyzer().Analyze("The RUNNING Dogs İstanbul"));
    }

    [Fact]
    public void ForNameResolvesStoredNamesAndRejectsUnknownOnes()
    {
        Assert.IsType<EnglishAnalyzer>(Analyzer.ForName("English"));
        Assert.IsType<LowerCaseAnalyzer>(Analyzer.ForName("lowercase"));
        var error = Assert.Throws<ArgumentException>(() => Analyzer.ForName("klingon"));
        Assert.Contains("klingon", error.Message);
    }

    [Fact]
    public void RandomTextNeverYieldsEmptyTermsOrSeparators()
    {
        var random = new Random(29);
        var analyzer = new EnglishAnalyzer();
        var alphabet = "aeiouxyzAB09 .,;:'’_-\t\n\"*^()日é\u0301\0\uD83D\uDE00";
        for (var i = 0; i < 3000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            foreach (var term in analyzer.Analyze(text))
            {
                Assert.NotEmpty(term);
                Assert.DoesNotContain(term, c => char.IsWhiteSpace(c) || c is '"' or '*' or '^' or '(' or ')' or '\0' or '-');
            }
        }
    }
}
