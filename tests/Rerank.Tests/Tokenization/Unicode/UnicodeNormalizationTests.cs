// SearchRerank: NFC/NFD/NFKC/NFKD on the own tables against Python's unicodedata (same Unicode version, 14.0).
using SearchRerank.Rerank.Tokenization.Unicode;

namespace SearchRerank.Rerank.Tests.Tokenization.Unicode;

public sealed class UnicodeNormalizationTests
{
    private static string Text(string hex) =>
        string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => char.ConvertFromUtf32(Convert.ToInt32(h, 16))));

    [Fact]
    public void EveryVectorEqualsPythonsUnicodedata()
    {
        string path = Path.Combine(SharedData.RepoRoot, "tests", "Rerank.Tests", "Tokenization", "Unicode", "normalization-vectors.tsv");
        var failures = new List<string>();
        int count = 0;
        foreach (string line in File.ReadLines(path).Where(l => !l.StartsWith('#')))
        {
            var columns = line.Split('\t');
            string input = Text(columns[0]);
            count++;
            string[] got =
            [
                UnicodeNormalization.Normalize(input, compatibility: false, compose: true),
                UnicodeNormalization.Normalize(input, compatibility: false, compose: false),
                UnicodeNormalization.Normalize(input, compatibility: true, compose: true),
                UnicodeNormalization.Normalize(input, compatibility: true, compose: false),
            ];
            for (int form = 0; form < 4; form++)
            {
                if (got[form] != Text(columns[form + 1]))
                    failures.Add($"{columns[0]} {new[] { "NFC", "NFD", "NFKC", "NFKD" }[form]}: expected {columns[form + 1]}, got " +
                                 string.Join(" ", got[form].EnumerateRunes().Select(r => r.Value.ToString("X"))));
            }
        }
        Assert.True(count > 1000, $"only {count} vectors");
        Assert.True(failures.Count == 0, $"{failures.Count} differ:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("e\u0301", "\u00e9", "\u00e9")]
    [InlineData("\ufb01ne", "\ufb01ne", "fine")]
    [InlineData("\u212b", "\u00c5", "\u00c5")]
    [InlineData("\u1100\u1161\u11a8", "\uac01", "\uac01")]
    [InlineData("\uff76\u3099", "\uff76\u3099", "\u30ac")]
    [InlineData("plain ascii", "plain ascii", "plain ascii")]
    public void ComposesAsUnicodeSays(string input, string nfc, string nfkc)
    {
        Assert.Equal(nfc, UnicodeNormalization.Normalize(input, compatibility: false, compose: true));
        Assert.Equal(nfkc, UnicodeNormalization.Normalize(input, compatibility: true, compose: true));
    }
}
