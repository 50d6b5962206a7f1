using System.Text;

namespace SearchRerank.Search;

/// <summary>
/// Builds FTS5 MATCH expressions from analyzed terms. Every term becomes a double-quoted string with inner quotes
/// doubled, which FTS5 treats as a plain phrase, so no user text can act as an operator (AND/OR/NOT/NEAR), prefix *,
/// initial-token ^, column filter or parenthesis. Terms containing NUL are dropped because SQLite strings end there.
/// </summary>
internal static class Fts5Query
{
    public static string AnyOf(IEnumerable<string> terms)
    {
        var builder = new StringBuilder();
        foreach (var term in terms)
        {
            if (term.Length == 0 || term.Contains('\0'))
                continue;
            if (builder.Length > 0)
                builder.Append(" OR ");
            builder.Append('"').Append(term.Replace("\"", "\"\"")).Append('"');
        }
        return builder.ToString();
    }
}
