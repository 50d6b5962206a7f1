using System.CommandLine;
using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Rerank.Tokenization.HuggingFace;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank tokenize --model DIR</c>: reads JSON lines from stdin — <c>{"text"}</c> or
/// <c>{"query", "passage", "max_length"?, "truncation"?}</c> — and writes, per line, what Hugging Face's fast tokenizer
/// returns: <c>{"input_ids", "attention_mask", "token_type_ids"?}</c>, or <c>{"error"}</c> with Hugging Face's message
/// where it refuses (a truncation that cannot fit). token_type_ids are written when the model reads them, as Python
/// returns them: when tokenizer_config.json's <c>model_input_names</c> lists them, else when the pair template gives the
/// passage type id 1. <c>truncation</c> without <c>max_length</c> uses tokenizer_config.json's <c>model_max_length</c>.
/// A line that is not such an object stops the command with its line number.
/// </summary>
internal static class TokenizeCommand
{
    private const string Input = "<stdin>";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory with tokenizer.json, or vocab.txt (+ tokenizer_config.json)", Required = true };
        var command = new Command("tokenize", "Tokenize JSON lines from stdin ({\"text\"} or {\"query\",\"passage\",\"max_length\"?,\"truncation\"?}) exactly as Hugging Face does")
        {
            model,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            string directory = parseResult.GetValue(model)!;
            var tokenizer = HuggingFaceTokenizer.FromDirectory(directory);
            var config = TokenizerConfig(directory);
            bool typeIds = config.InputNames?.Contains("token_type_ids") ?? tokenizer.UsesTokenTypeIds;
            using var stdout = Console.OpenStandardOutput();
            using var writer = new Utf8JsonWriter(stdout);
            long number = 0;
            while (Console.In.ReadLine() is { } line)
            {
                cancellationToken.ThrowIfCancellationRequested();
                number++;
                if (line.Trim().Length == 0)
                    continue;
                var request = Parse(line, number, config.MaxLength);
                writer.Reset();
                writer.WriteStartObject();
                try
                {
                    var encoding = request.Text is { } text
                        ? tokenizer.Encode(text, request.MaxLength, request.Strategy)
                        : tokenizer.EncodePair(request.Query!, request.Passage!, request.MaxLength, request.Strategy);
                    WriteInts(writer, "input_ids", encoding.InputIds);
                    WriteInts(writer, "attention_mask", Enumerable.Repeat(1, encoding.InputIds.Length));
                    if (typeIds)
                        WriteInts(writer, "token_type_ids", encoding.TokenTypeIds);
                }
                catch (Exception e) when (e is TruncationException or ArgumentOutOfRangeException)
                {
                    writer.WriteString("error", e is ArgumentOutOfRangeException ? e.Message.Split('\n')[0].Split(" (Parameter")[0] : e.Message);
                }
                writer.WriteEndObject();
                writer.Flush();
                stdout.WriteByte((byte)'\n');
                stdout.Flush();
            }
            return 0;
        });
        return command;
    }

    private sealed record Request(string? Text, string? Query, string? Passage, int? MaxLength, TruncationStrategy Strategy);

    private static Request Parse(string line, long number, int? modelMaxLength)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException e)
        {
            throw new DataFormatException(Input, number, $"invalid JSON: {e.Message.Split(" Path:")[0]}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(Input, number, "expected a JSON object");
        string? text = StringField(root, "text", number), query = StringField(root, "query", number), passage = StringField(root, "passage", number);
        if (text is null == (query is null || passage is null) || (text is not null && (query ?? passage) is not null))
            throw new DataFormatException(Input, number, "expected {\"text\"} or {\"query\", \"passage\"}");
        var strategy = StringField(root, "truncation", number) switch
        {
            null or "longest_first" => TruncationStrategy.LongestFirst,
            "only_second" => TruncationStrategy.OnlySecond,
            var other => throw new DataFormatException(Input, number, $"truncation: expected longest_first or only_second, got '{other}'"),
        };
        int? maxLength = null;
        if (root.TryGetProperty("max_length", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out int value) || value < 0)
                throw new DataFormatException(Input, number, $"max_length: expected a non-negative integer, got {max.GetRawText()}");
            maxLength = value;
        }
        else if (root.TryGetProperty("truncation", out var t) && t.ValueKind == JsonValueKind.String)
        {
            maxLength = modelMaxLength;
        }
        return new Request(text, query, passage, maxLength, strategy);
    }

    private static string? StringField(JsonElement root, string name, long number)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw new DataFormatException(Input, number, $"{name}: expected a string, got {value.GetRawText()}");
    }

    private static void WriteInts(Utf8JsonWriter writer, string name, IEnumerable<int> values)
    {
        writer.WriteStartArray(name);
        foreach (int value in values)
            writer.WriteNumberValue(value);
        writer.WriteEndArray();
    }

    /// <summary>model_input_names and model_max_length of tokenizer_config.json (absent: null; a sentinel above 1e9: no limit).</summary>
    private static (string[]? InputNames, int? MaxLength) TokenizerConfig(string directory)
    {
        string path = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(path))
            return (null, null);
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(File.ReadAllBytes(path)).RootElement;
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message.Split(" Path:")[0]}");
        }
        string[]? names = root.TryGetProperty("model_input_names", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : null;
        int? maxLength = root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number
                         && max.TryGetInt64(out long value) && value <= 1_000_000_000 ? (int)value : null;
        return (names, maxLength);
    }
}
