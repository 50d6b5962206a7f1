using System.Text.Json;
using System.Text.Json.Nodes;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// <c>searchrerank tokenize</c> through the real process: every record of the RoBERTa and T5 references piped in as a
/// user would, every output line equal to Hugging Face's (ids, mask, no token_type_ids for these families, the error
/// where Hugging Face raises).
/// </summary>
public sealed class TokenizeCommandTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("roberta-base")]
    [InlineData("t5-small")]
    public void EveryReferenceLineComesOutAsHuggingFaceGivesIt(string family)
    {
        string folder = CliRunner.SharedPath("reference", "tokenizers", family);
        var records = File.ReadLines(Path.Combine(folder, "reference.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var input = string.Join("\n", records.Select(r =>
        {
            var request = new JsonObject();
            foreach (string field in new[] { "text", "query", "passage", "max_length", "truncation" })
            {
                if (r[field] is { } value)
                    request[field] = value.DeepClone();
            }
            return request.ToJsonString();
        })) + "\n";

        var result = CliRunner.RunWithInput(temp.Path, input, null, "tokenize", "--model", folder);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(records.Count, lines.Length);
        var failures = new List<string>();
        for (int i = 0; i < records.Count; i++)
        {
            var got = JsonNode.Parse(lines[i])!.AsObject();
            var expected = new JsonObject();
            if (records[i]["error"] is { } error)
            {
                expected["error"] = error.DeepClone();
            }
            else
            {
                expected["input_ids"] = records[i]["input_ids"]!.DeepClone();
                expected["attention_mask"] = records[i]["attention_mask"]!.DeepClone();
            }
            if (!JsonNode.DeepEquals(expected, got))
                failures.Add($"{records[i]["id"]}: {lines[i][..Math.Min(200, lines[i].Length)]}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {records.Count} lines differ:\n" + string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void BertFoldersGetTokenTypeIdsAndBadLinesNameTheirLineNumber()
    {
        string folder = CliRunner.SharedPath("reference", "tiny-bert-ce");
        var ok = CliRunner.RunWithInput(temp.Path, """
            {"query": "aspirin", "passage": "heart attack risk", "max_length": 5}
            {"text": "aspirin lowers heart attack risk", "max_length": 3, "truncation": "only_second"}
            """ + "\n", null, "tokenize", "--model", folder);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var lines = ok.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var pair = JsonNode.Parse(lines[0])!;
        Assert.Equal(5, pair["input_ids"]!.AsArray().Count);
        Assert.Equal("[0,0,0,1,1]", pair["token_type_ids"]!.ToJsonString());
        Assert.Equal("""{"error":"Truncation error: Second sequence not provided"}""", lines[1]);

        var bad = CliRunner.RunWithInput(temp.Path, "{\"text\": \"fine\"}\n{\"query\": \"no passage\"}\n", null, "tokenize", "--model", folder);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("<stdin>:2: expected {\"text\"} or {\"query\", \"passage\"}", bad.Stderr);
    }
}
