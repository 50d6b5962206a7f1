using System.Text;
using SearchRerank.Core;

namespace SearchRerank.Search.Tests;

/// <summary>
/// Free text must never throw: 10,000 generated queries of random Unicode (surrogates, unpaired ones included, NUL,
/// controls), Lucene and FTS5 syntax characters, 100 KB strings and empty ones. Under Lucene syntax the only failure
/// allowed is a <see cref="SearchException"/> naming the syntax error in one short line.
/// </summary>
public class QueryRobustnessTests
{
    private static readonly string[] Syntax =
    [
        "\"", "(", ")", "[", "]", "{", "}", "*", "?", "~", "^", ":", "\\", "/", "+", "-", "!", "&&", "||", "AND", "OR", "NOT",
        "NEAR", "NEAR(", "TO", "'", ";", "--", "title:", "contents:", "id:", "*:*", "^2", "~0.5",
    ];

    private static readonly string[] Words = ["cat", "mat", "dog", "bird", "the", "and", "chase", "morning", "rug"];

    private static IEnumerable<string> Queries(int count, int seed)
    {
        var random = new Random(seed);
        yield return "";
        yield return new string('a', 100_000);
        yield return string.Concat(Enumerable.Range(0, 25_000).Select(i => Words[i % Words.Length] + " "));
        // Nested 100,000 deep, Lucene's parser would overflow the stack; malformed at 100 KB, its error would quote it all.
        yield return new string('(', 100_000);
        yield return string.Concat(Enumerable.Repeat("cat AND ", 12_500)) + "\"open";
        for (var i = 5; i < count; i++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(0, 12);
            for (var p = 0; p < parts; p++)
            {
                switch (random.Next(5))
                {
                    case 0: builder.Append(Syntax[random.Next(Syntax.Length)]); break;
                    case 1: builder.Append(Words[random.Next(Words.Length)]); break;
                    case 2: builder.Append((char)random.Next(0, 0x10000)); break; // any UTF-16 unit, lone surrogates and NUL included
                    case 3: builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000) is var c && c is >= 0xD800 and <= 0xDFFF ? 0x1F600 : c)); break;
                    default: builder.Append(' ', random.Next(1, 3)); break;
                }
            }
            if (i % 1000 == 7)
                builder.Append(new string('\uD83D', 100_000)); // 100 KB of unpaired high surrogates
            yield return builder.ToString();
        }
    }

    [Fact]
    public void TenThousandGeneratedQueriesNeverThrowAsFreeTextAndOnlyReportSyntaxUnderLucene()
    {
        using var dir = SearcherTests.Build([
            new CorpusDocument("d1", "Cats", "the cat sat on the mat"),
            new CorpusDocument("d2", "", "dogs chase cats \0 and \uD800 mice"),
            new CorpusDocument("d3", "Birds", "birds sing in the morning 😀"),
        ]);
        using var free = Searcher.Open(dir.Path);
        using var lucene = Searcher.Open(dir.Path, new SearchOptions { Syntax = QuerySyntax.Lucene });
        var queries = Queries(10_000, 9).ToList();
        var failures = new List<string>();
        var syntaxErrors = 0;
        foreach (var query in queries)
        {
            try
            {
                free.Search(query, 10);
                free.Explain(query, "d1");
            }
            catch (Exception ex)
            {
                failures.Add($"free text {Show(query)}: {ex.GetType().Name}: {ex.Message}");
            }
            try
            {
                lucene.Search(query, 10);
            }
            catch (SearchException ex) when (ex.Message.StartsWith("query syntax: ", StringComparison.Ordinal) && !ex.Message.Contains('\n') && ex.Message.Length < 400)
            {
                syntaxErrors++;
            }
            catch (Exception ex)
            {
                failures.Add($"lucene {Show(query)}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.Equal(10_000, queries.Count);
        Assert.Empty(failures);
        Assert.InRange(syntaxErrors, 1, queries.Count - 1);
    }

    private static string Show(string query) => query.Length > 60 ? $"'{query[..60]}…' ({query.Length} chars)" : $"'{query}'";
}
