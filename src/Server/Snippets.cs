using Lucene.Net.Search.Highlight;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Server;

/// <summary>
/// The best passages of a hit with the query's terms marked, by Lucene's highlighter on the same analysis the index
/// used (so "attacks" marks for the query "attack"): HTML-escaped text with <c>&lt;mark&gt;</c> around matches, at most
/// <see cref="Fragments"/> fragments of about <see cref="FragmentLength"/> characters; the start of the text when
/// nothing matches.
/// </summary>
internal static class Snippets
{
    private const int Fragments = 2, FragmentLength = 160;

    public static string Of(Searcher searcher, string query, string text)
    {
        var encoder = new SimpleHTMLEncoder();
        if (searcher.ParseQuery(query) is { } parsed)
        {
            // The fragmenter reads the scorer's state as the highlighter advances it: both must be the same instance.
            var scorer = new QueryScorer(parsed, IndexSchema.Contents);
            var highlighter = new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), encoder, scorer)
            {
                TextFragmenter = new SimpleSpanFragmenter(scorer, FragmentLength),
            };
            using var tokens = searcher.Analyzer.GetTokenStream(IndexSchema.Contents, text);
            var best = highlighter.GetBestFragments(tokens, text, Fragments, " … ");
            if (!string.IsNullOrEmpty(best))
                return best;
        }
        return encoder.EncodeText(Core.TextPreview.Shorten(text, FragmentLength));
    }
}
