// SearchRerank: every record of the shared Hugging Face tokenization references, from both tokenizer layouts.
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace SearchRerank.Rerank.Tests.Tokenization;

public sealed class ReferenceTokenizationTests : IClassFixture<TokenizerFixture>
{
    private readonly TokenizerFixture tokenizers;

    public ReferenceTokenizationTests(TokenizerFixture tokenizers) => this.tokenizers = tokenizers;

    private static IEnumerable<JsonElement> Records(string file)
    {
        foreach (string line in File.ReadLines(Path.Combine(SharedData.Reference, file)))
        {
            if (line.Length > 0)
                yield return JsonDocument.Parse(line).RootElement;
        }
    }

    private static int[] Ints(JsonElement record, string field) =>
        record.GetProperty(field).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    [Theory]
    [InlineData("tokenizer.json")]
    [InlineData("vocab.txt")]
    public void PairEncodingsEqualHuggingFaceForEveryRecord(string source)
    {
        var tokenizer = tokenizers.Get(source);
        var failures = new List<string>();
        int count = 0;
        foreach (var record in Records("tokenization.jsonl"))
        {
            count++;
            var encoding = tokenizer.EncodePair(
                record.GetProperty("query").GetString()!, record.GetProperty("document").GetString()!,
                record.GetProperty("max_length").GetInt32());
            var expectedIds = Ints(record, "input_ids");
            var expectedTypes = Ints(record, "token_type_ids");
            bool expectedTruncated = record.GetProperty("truncated").GetBoolean();
            if (!encoding.InputIds.SequenceEqual(expectedIds) || !encoding.TokenTypeIds.SequenceEqual(expectedTypes)
                || encoding.Truncated != expectedTruncated)
            {
                failures.Add($"{record.GetProperty("id").GetString()}: expected [{string.Join(",", expectedIds)}] " +
                             $"got [{string.Join(",", encoding.InputIds)}] (truncated {encoding.Truncated}, expected {expectedTruncated})");
            }
        }
        Assert.Equal(1060, count);
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} records differ:\n" + string.Join("\n", failures.Take(15)));
    }

    [Theory]
    [InlineData("tokenizer.json")]
    [InlineData("vocab.txt")]
    public void SingleTextsEqualHuggingFaceForEveryRecord(string source)
    {
        var tokenizer = tokenizers.Get(source);
        var failures = new List<string>();
        int count = 0;
        foreach (var record in Records("tokenization-single.jsonl"))
        {
            count++;
            var ids = tokenizer.Tokenize(record.GetProperty("text").GetString()!);
            var actual = new[] { tokenizer.ClsId }.Concat(ids).Append(tokenizer.SepId).ToArray();
            var expected = Ints(record, "input_ids");
            if (!actual.SequenceEqual(expected))
            {
                var tokens = record.GetProperty("tokens").EnumerateArray().Select(t => t.GetString());
                failures.Add($"{record.GetProperty("id").GetString()} {JsonSerializer.Serialize(record.GetProperty("text").GetString())}: " +
                             $"expected [{string.Join(" ", tokens)}] got [{string.Join(" ", actual.Select(tokenizer.IdToToken))}]");
            }
        }
        Assert.Equal(158, count);
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} records differ:\n" + string.Join("\n", failures.Take(30)));
    }

    [Fact]
    public void ThroughTheMlTokenizersInterfaceEveryReferenceTextGivesItsTokensWithOrderedOffsets()
    {
        Tokenizer tokenizer = tokenizers.FromJson;
        var failures = new List<string>();
        foreach (var record in Records("tokenization-single.jsonl"))
        {
            string text = record.GetProperty("text").GetString()!;
            var expected = record.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray()[1..^1];
            var tokens = tokenizer.EncodeToTokens(text, out string? normalized);
            Assert.Null(normalized);
            Assert.Equal(tokens.Select(t => t.Id), tokenizer.EncodeToIds(text));
            Assert.Equal(tokens.Count, tokenizer.CountTokens(text));
            if (!tokens.Select(t => t.Value).SequenceEqual(expected))
                failures.Add($"{record.GetProperty("id").GetString()}: expected [{string.Join(" ", expected)}] got [{string.Join(" ", tokens.Select(t => t.Value))}]");
            // Offsets index the original text, in order and never empty; only pieces of one source character (a Hangul
            // syllable decomposed into jamo) share a range.
            var previous = (Start: 0, End: 0);
            foreach (var token in tokens)
            {
                var (start, length) = token.Offset.GetOffsetAndLength(text.Length);
                bool sameCharacter = (start, start + length) == previous && length <= 2;
                if (length == 0 || (start < previous.End && !sameCharacter))
                    failures.Add($"{record.GetProperty("id").GetString()}: token {token.Value} at {token.Offset} after {previous}");
                previous = (start, start + length);
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} problems:\n" + string.Join("\n", failures.Take(30)));
    }
}
