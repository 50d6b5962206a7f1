namespace SearchRerank.Search.Analysis;

/// <summary>
/// Turns text into index terms by building a fresh <see cref="TokenStream"/> chain per text. The same analyzer
/// must be used for documents and queries; the index stores <see cref="Name"/> so a searcher picks the one
/// the index was built with. Implementations are stateless and thread-safe.
/// </summary>
public abstract class Analyzer
{
    /// <summary>Names accepted by <see cref="ForName"/>, the first one being the default.</summary>
    public static IReadOnlyList<string> Names { get; } = [EnglishAnalyzer.AnalyzerName, LowerCaseAnalyzer.AnalyzerName];

    /// <summary>The name stored in the index and accepted by <see cref="ForName"/>.</summary>
    public abstract string Name { get; }

    /// <summary>Builds the chain of tokenizer and filters over <paramref name="text"/>.</summary>
    protected abstract TokenStream CreateStream(string text);

    /// <summary>The terms of <paramref name="text"/> in order, duplicates kept.</summary>
    public List<string> Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        var stream = CreateStream(text);
        while (stream.Next(out var term))
            terms.Add(term);
        return terms;
    }

    /// <summary>The analyzer called <paramref name="name"/> (case-insensitive): "english" or "lowercase".</summary>
    public static Analyzer ForName(string name) => name.ToLowerInvariant() switch
    {
        EnglishAnalyzer.AnalyzerName => new EnglishAnalyzer(),
        LowerCaseAnalyzer.AnalyzerName => new LowerCaseAnalyzer(),
        _ => throw new ArgumentException($"unknown analyzer '{name}', expected one of: {string.Join(", ", Names)}", nameof(name)),
    };

    public override string ToString() => Name;
}
