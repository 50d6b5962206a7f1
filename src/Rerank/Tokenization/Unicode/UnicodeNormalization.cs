// SearchRerank: Unicode normalization forms NFC, NFD, NFKC, NFKD on the project's own tables.
using System.Text;

namespace SearchRerank.Rerank.Tokenization.Unicode;

/// <summary>
/// The four Unicode normalization forms (UAX #15): full canonical or compatibility decomposition, canonical ordering of
/// each run of non-starters (a stable sort by combining class), then for NFC/NFKC canonical composition, where a mark
/// composes with the last starter unless a mark of the same or a higher class, or a starter, stands between them.
/// Exists because string.Normalize leaves non-ASCII text unchanged under InvariantGlobalization; ASCII-only text is
/// returned as is. Pure and thread-safe.
/// </summary>
internal static class UnicodeNormalization
{
    /// <summary>NFC (<paramref name="compose"/>), NFD, NFKC (<paramref name="compatibility"/> and <paramref name="compose"/>) or NFKD of <paramref name="text"/>.</summary>
    public static string Normalize(string text, bool compatibility, bool compose)
    {
        if (Ascii.IsValid(text))
            return text;
        var points = new List<int>(text.Length + 8);
        Span<int> canonical = stackalloc int[CanonicalData.MaxDecompositionLength];
        foreach (var rune in text.EnumerateRunes())
        {
            if (compatibility && CompositionData.Compatibility(rune.Value) is { IsEmpty: false } parts)
            {
                foreach (int part in parts)
                    points.Add(part);
                continue;
            }
            int count = CanonicalData.Decompose(rune.Value, canonical);
            for (int i = 0; i < count; i++)
                points.Add(canonical[i]);
        }
        Reorder(points);
        if (compose)
            Compose(points);
        var output = new StringBuilder(points.Count + 8);
        foreach (int cp in points)
            output.Append(char.ConvertFromUtf32(cp is >= 0xD800 and <= 0xDFFF ? 0xFFFD : cp));
        return output.ToString();
    }

    /// <summary>Sorts each maximal run of non-starters by combining class, keeping equal classes in order.</summary>
    private static void Reorder(List<int> points)
    {
        for (int i = 1; i < points.Count; i++)
        {
            int cp = points[i], cc = CanonicalData.CombiningClass(cp);
            if (cc == 0)
                continue;
            int at = i;
            while (at > 0 && CanonicalData.CombiningClass(points[at - 1]) > cc)
            {
                points[at] = points[at - 1];
                at--;
            }
            points[at] = cp;
        }
    }

    private static void Compose(List<int> points)
    {
        if (points.Count == 0)
            return;
        int starter = CanonicalData.CombiningClass(points[0]) == 0 ? 0 : -1;
        int lastClass = starter == 0 ? 0 : 256;
        int written = 1;
        for (int i = 1; i < points.Count; i++)
        {
            int cp = points[i], cc = CanonicalData.CombiningClass(cp);
            if (starter >= 0 && (lastClass < cc || lastClass == 0) && CompositionData.TryCompose(points[starter], cp, out int composite))
            {
                points[starter] = composite;
                continue;
            }
            if (cc == 0)
                starter = written;
            lastClass = cc;
            points[written++] = cp;
        }
        points.RemoveRange(written, points.Count - written);
    }
}
