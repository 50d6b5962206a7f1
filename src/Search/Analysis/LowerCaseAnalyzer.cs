namespace SearchRerank.Search.Analysis;

/// <summary>
/// Minimal chain for non-English or exact-term collections: <see cref="StandardTokenizer"/> → <see cref="LowerCaseFilter"/>.
/// No stopwords, no stemming.
/// </summary>
public sealed class LowerCaseAnalyzer : Analyzer
{
    public const string AnalyzerName = "lowercase";

    public override string Name => AnalyzerName;

    protected override TokenStream CreateStream(string text) => new LowerCaseFilter(new StandardTokenizer(text));
}
