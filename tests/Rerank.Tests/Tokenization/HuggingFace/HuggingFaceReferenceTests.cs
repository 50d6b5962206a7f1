// SearchRerank: every record of the RoBERTa (byte-level BPE) and T5 (Unigram) references, id for id.
using System.Text.Json;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Rerank.Tokenization.HuggingFace;
using Xunit.Abstractions;

namespace SearchRerank.Rerank.Tests.Tokenization.HuggingFace;

public sealed class HuggingFaceReferenceTests(ITestOutputHelper output)
{
    internal static string Folder(string family) => Path.Combine(SharedData.Reference, "tokenizers", family);

    /// <summary>One reference record's outcome: null when it equals Hugging Face's, else what differs.</summary>
    internal static string? Compare(HuggingFaceTokenizer tokenizer, JsonElement record)
    {
        string kind = record.GetProperty("kind").GetString()!;
        PairEncoding encoding;
        try
        {
            encoding = kind switch
            {
                "single" => tokenizer.Encode(record.GetProperty("text").GetString()!),
                "pair" => tokenizer.EncodePair(record.GetProperty("query").GetString()!, record.GetProperty("passage").GetString()!),
                _ => tokenizer.EncodePair(record.GetProperty("query").GetString()!, record.GetProperty("passage").GetString()!,
                    record.GetProperty("max_length").GetInt32(),
                    record.GetProperty("truncation").GetString() == "only_second" ? TruncationStrategy.OnlySecond : TruncationStrategy.LongestFirst),
            };
        }
        catch (TruncationException e)
        {
            return record.TryGetProperty("error", out var error) && error.GetString() == e.Message ? null : $"raised '{e.Message}'";
        }
        if (record.TryGetProperty("error", out var expectedError))
            return $"expected the error '{expectedError.GetString()}', got ids";
        var ids = Ints(record, "input_ids");
        var types = Ints(record, "token_type_ids");
        if (!encoding.InputIds.SequenceEqual(ids))
            return $"expected [{string.Join(",", ids.Take(40))}] got [{string.Join(",", encoding.InputIds.Take(40))}]";
        if (!encoding.TokenTypeIds.SequenceEqual(types))
            return $"token types: expected [{string.Join(",", types)}] got [{string.Join(",", encoding.TokenTypeIds)}]";
        if (Ints(record, "attention_mask").Any(m => m != 1) || Ints(record, "attention_mask").Length != ids.Length)
            return "the reference's attention mask is not all ones";
        if (record.TryGetProperty("truncated", out var truncated) && truncated.GetBoolean() != encoding.Truncated)
            return $"truncated: expected {truncated.GetBoolean()}";
        return null;
    }

    internal static IEnumerable<JsonElement> Records(string family) =>
        File.ReadLines(Path.Combine(Folder(family), "reference.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement);

    private static int[] Ints(JsonElement record, string field) => record.GetProperty(field).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    [Theory]
    [InlineData("roberta-base", "BPE (byte-level)", 11)]
    [InlineData("t5-small", "Unigram", 10)]
    public void EveryRecordEqualsHuggingFace(string family, string expectedFamily, int expectedErrors)
    {
        var tokenizer = HuggingFaceTokenizer.FromDirectory(Folder(family));
        Assert.Equal(expectedFamily, tokenizer.Family);
        var total = new Dictionary<string, int>();
        var matched = new Dictionary<string, int>();
        var failures = new List<string>();
        int errors = 0;
        foreach (var record in Records(family))
        {
            string kind = record.GetProperty("kind").GetString()!;
            total[kind] = total.GetValueOrDefault(kind) + 1;
            errors += record.TryGetProperty("error", out _) ? 1 : 0;
            if (Compare(tokenizer, record) is { } failure)
                failures.Add($"{record.GetProperty("id").GetString()} ({record.GetProperty("category").GetString()}): {failure}");
            else
                matched[kind] = matched.GetValueOrDefault(kind) + 1;
        }
        foreach (var (kind, count) in total)
            output.WriteLine($"{family} {kind}: {matched.GetValueOrDefault(kind)}/{count}");
        Assert.Equal(new Dictionary<string, int> { ["single"] = 300, ["pair"] = 300, ["pair_truncated"] = 100 }, total);
        Assert.Equal(expectedErrors, errors);
        Assert.True(failures.Count == 0, $"{failures.Count} of 700 records differ:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("roberta-base", "Hello wörld 🙂, naïve café!")]
    [InlineData("t5-small", "Hello world, the cat sat.")]
    public void DecodeGivesTheTextBack(string family, string text)
    {
        var tokenizer = HuggingFaceTokenizer.FromDirectory(Folder(family));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Tokenize(text)));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text).InputIds, skipSpecialTokens: true));
    }
}
