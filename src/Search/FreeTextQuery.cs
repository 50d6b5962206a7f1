using Lucene.Net.Index;
using Lucene.Net.Search;
using SearchRerank.Search.Analysis;
using LuceneAnalyzer = Lucene.Net.Analysis.Analyzer;

namespace SearchRerank.Search;

/// <summary>
/// Anserini's bag-of-words query: the text goes through the index's analyzer, and each distinct term becomes one
/// SHOULD <see cref="TermQuery"/> on <see cref="Index.IndexSchema.Contents"/>, boosted by how often the term occurs
/// in the query (so "cat cat mat" weighs cat twice, as summing the repeated clause would). No character of the text
/// is syntax, so nothing a user types can make it throw.
/// <para>
/// Lucene caps a BooleanQuery at <see cref="BooleanQuery.MaxClauseCount"/> clauses (1024 by default; a global
/// setting this class leaves alone). Longer queries are split into nested BooleanQueries of at most that many clauses
/// each; the similarities used here sum clause scores with coordination 1, so the score is the same as one flat query.
/// </para>
/// </summary>
internal static class FreeTextQuery
{
    /// <summary>The query for <paramref name="text"/>, or null when no term survives analysis (empty, punctuation, stopwords).</summary>
    public static Query? Build(LuceneAnalyzer analyzer, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var term in Analyzers.Terms(analyzer, Index.IndexSchema.Contents, text))
        {
            if (counts.TryGetValue(term, out var count))
                counts[term] = count + 1;
            else
            {
                counts[term] = 1;
                order.Add(term);
            }
        }
        if (order.Count == 0)
            return null;
        var clauses = order.Select(term => (Query)new TermQuery(new Term(Index.IndexSchema.Contents, term)) { Boost = counts[term] }).ToList();
        return Combine(clauses, Math.Max(2, BooleanQuery.MaxClauseCount));
    }

    private static Query Combine(List<Query> clauses, int limit)
    {
        while (clauses.Count > limit)
            clauses = clauses.Chunk(limit).Select(chunk => (Query)Disjunction(chunk)).ToList();
        return Disjunction(clauses);
    }

    private static BooleanQuery Disjunction(IEnumerable<Query> clauses)
    {
        // Coordination disabled: a document matching k of n terms gets the plain sum, as in Anserini.
        var query = new BooleanQuery(disableCoord: true);
        foreach (var clause in clauses)
            query.Add(clause, Occur.SHOULD);
        return query;
    }
}
