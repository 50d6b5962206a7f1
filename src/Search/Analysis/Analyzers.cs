using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace SearchRerank.Search.Analysis;

/// <summary>
/// The analysis chains an index can be built with, by name. Documents and queries go through the same chain; the
/// index records the name in its commit data, so a searcher always analyses as the index was built.
/// <list type="bullet">
/// <item><c>english</c> (default, Anserini's): Lucene's EnglishAnalyzer: standard tokenizer (UAX #29) → English
/// possessive → lowercase → English stopwords → Porter stemmer.</item>
/// <item><c>english-nostop</c>: the same chain without the stopword filter.</item>
/// <item><c>standard</c>: Lucene's StandardAnalyzer: standard tokenizer → lowercase → English stopwords; no stemming.</item>
/// <item><c>lowercase</c>: standard tokenizer → lowercase; no stopwords, no stemming (non-English or exact-term collections).</item>
/// </list>
/// Lucene analyzers are thread-safe: each thread reuses its own token stream components.
/// </summary>
internal static class Analyzers
{
    public const string English = "english";
    public const string EnglishNoStopwords = "english-nostop";
    public const string Standard = "standard";
    public const string LowerCase = "lowercase";

    /// <summary>Accepted names, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [English, EnglishNoStopwords, Standard, LowerCase];

    /// <summary>The lower-case canonical spelling of <paramref name="name"/>; throws for an unknown name.</summary>
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var canonical = name.Trim().ToLowerInvariant();
        return Names.Contains(canonical)
            ? canonical
            : throw new ArgumentException($"unknown analyzer '{name}', expected one of: {string.Join(", ", Names)}", nameof(name));
    }

    /// <summary>A new analyzer for <paramref name="name"/> (case-insensitive).</summary>
    public static Analyzer Create(string name) => Canonical(name) switch
    {
        English => new EnglishAnalyzer(LuceneVersion.LUCENE_48),
        EnglishNoStopwords => new EnglishAnalyzer(LuceneVersion.LUCENE_48, CharArraySet.Empty),
        Standard => new StandardAnalyzer(LuceneVersion.LUCENE_48),
        _ => new StandardAnalyzer(LuceneVersion.LUCENE_48, CharArraySet.Empty),
    };

    /// <summary>The terms <paramref name="analyzer"/> makes of <paramref name="text"/> for <paramref name="field"/>, in order, repeats kept.</summary>
    public static List<string> Terms(Analyzer analyzer, string field, string text)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            terms.Add(term.ToString());
        stream.End();
        return terms;
    }
}
