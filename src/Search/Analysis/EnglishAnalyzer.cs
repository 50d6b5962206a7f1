namespace SearchRerank.Search.Analysis;

/// <summary>
/// The English chain of Lucene's EnglishAnalyzer and Anserini's default analyzer:
/// <see cref="StandardTokenizer"/> → <see cref="PossessiveFilter"/> → <see cref="LowerCaseFilter"/>
/// → <see cref="StopFilter"/> (<see cref="StopWords.English"/>) → <see cref="PorterStemFilter"/>.
/// </summary>
public sealed class EnglishAnalyzer : Analyzer
{
    public const string AnalyzerName = "english";

    public override string Name => AnalyzerName;

    protected override TokenStream CreateStream(string text)
    {
        TokenStream stream = new StandardTokenizer(text);
        stream = new PossessiveFilter(stream);
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, StopWords.English);
        stream = new PorterStemFilter(stream);
        return stream;
    }
}
