using System.Text.Json;

namespace SearchRerank.Rerank.Tests;

/// <summary>One record of shared/reference/scores.jsonl: a pair, its reference ids (max length 256) and ORT's logit.</summary>
internal sealed record ReferenceScore(string Id, string Query, string Document, int[] InputIds, int[] TokenTypeIds, double Logit)
{
    private static readonly Lazy<IReadOnlyList<ReferenceScore>> Cache = new(Read);

    public static IReadOnlyList<ReferenceScore> All => Cache.Value;

    private static IReadOnlyList<ReferenceScore> Read()
    {
        var list = new List<ReferenceScore>();
        foreach (var line in File.ReadLines(TestPaths.ScoresFile))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            list.Add(new ReferenceScore(
                r.GetProperty("id").GetString()!,
                r.GetProperty("query").GetString()!,
                r.GetProperty("document").GetString()!,
                r.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                r.GetProperty("token_type_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                r.GetProperty("logit_onnxruntime").GetDouble()));
        }

        return list;
    }
}
