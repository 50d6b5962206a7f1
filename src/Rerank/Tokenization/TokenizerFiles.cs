// SearchRerank: reads tokenizer.json, or vocab.txt + tokenizer_config.json, into a TokenizerDefinition.
using System.Text;
using System.Text.Json;
using SearchRerank.Core;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// Parses the two Hugging Face tokenizer layouts. Every problem becomes a <see cref="DataFormatException"/> naming the
/// file and the line (vocab.txt, JSON syntax) or the JSON field (e.g. <c>model.vocab</c>), so a corrupt model
/// directory is diagnosed from the message alone.
/// </summary>
internal static class TokenizerFiles
{
    private const string DefaultPrefix = "##";
    private const int DefaultMaxInputCharsPerWord = 100;

    /// <summary>Reads a <c>tokenizer.json</c> with a BertNormalizer, BertPreTokenizer and WordPiece model.</summary>
    public static TokenizerDefinition ReadTokenizerJson(string path)
    {
        using var document = ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 0, "expected a JSON object at the top level");

        var model = Required(root, "model", JsonValueKind.Object, path, "model");
        string modelType = String(model, "type", path, "model.type") ?? "";
        if (modelType != "WordPiece")
            throw new DataFormatException(path, 0, $"model.type: only WordPiece is supported, got '{modelType}'");
        var vocabElement = Required(model, "vocab", JsonValueKind.Object, path, "model.vocab");
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokensById = new Dictionary<int, string>();
        foreach (var entry in vocabElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw new DataFormatException(path, 0, $"model.vocab.{entry.Name}: expected a non-negative integer id, got {entry.Value.GetRawText()}");
            if (!vocabulary.TryAdd(entry.Name, id))
                throw new DataFormatException(path, 0, $"model.vocab: duplicate token '{entry.Name}'");
            if (!tokensById.TryAdd(id, entry.Name))
                throw new DataFormatException(path, 0, $"model.vocab: id {id} is used by both '{tokensById[id]}' and '{entry.Name}'");
        }
        string unknown = String(model, "unk_token", path, "model.unk_token") ?? "[UNK]";
        string prefix = String(model, "continuing_subword_prefix", path, "model.continuing_subword_prefix") ?? DefaultPrefix;
        int maxChars = Int(model, "max_input_chars_per_word", path, "model.max_input_chars_per_word") ?? DefaultMaxInputCharsPerWord;

        bool clean = false, chinese = false, lowercase = false, strip = false;
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind != JsonValueKind.Null)
        {
            string type = String(normalizer, "type", path, "normalizer.type") ?? "";
            if (type != "BertNormalizer")
                throw new DataFormatException(path, 0, $"normalizer.type: only BertNormalizer is supported, got '{type}'");
            clean = Bool(normalizer, "clean_text", path, "normalizer.clean_text") ?? true;
            chinese = Bool(normalizer, "handle_chinese_chars", path, "normalizer.handle_chinese_chars") ?? true;
            lowercase = Bool(normalizer, "lowercase", path, "normalizer.lowercase") ?? true;
            strip = Bool(normalizer, "strip_accents", path, "normalizer.strip_accents") ?? lowercase;
        }
        var preTokenizer = Required(root, "pre_tokenizer", JsonValueKind.Object, path, "pre_tokenizer");
        string preType = String(preTokenizer, "type", path, "pre_tokenizer.type") ?? "";
        if (preType != "BertPreTokenizer")
            throw new DataFormatException(path, 0, $"pre_tokenizer.type: only BertPreTokenizer is supported, got '{preType}'");

        var added = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind != JsonValueKind.Null)
        {
            if (addedTokens.ValueKind != JsonValueKind.Array)
                throw new DataFormatException(path, 0, "added_tokens: expected an array");
            int index = 0;
            foreach (var token in addedTokens.EnumerateArray())
            {
                string field = $"added_tokens[{index++}]";
                added.Add(ReadAddedToken(token, Int(token, "id", path, field + ".id"), path, field));
            }
        }

        var (cls, sep) = ReadPostProcessor(root, path);
        string pad = "[PAD]";
        if (root.TryGetProperty("padding", out var padding) && padding.ValueKind == JsonValueKind.Object)
            pad = String(padding, "pad_token", path, "padding.pad_token") ?? pad;

        return new TokenizerDefinition(path, vocabulary, MergeAdded(vocabulary, added, path), clean, chinese, strip, lowercase,
            unknown, prefix, maxChars, cls, sep, pad);
    }

    /// <summary>Reads <c>vocab.txt</c> (one token per line, id = line index) and, when given, <c>tokenizer_config.json</c>.</summary>
    public static TokenizerDefinition ReadVocabularyFiles(string vocabPath, string? configPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(vocabPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(vocabPath, 0, $"cannot read the vocabulary: {e.Message}");
        }
        // Decoded line by line (not through a buffered reader) so invalid UTF-8 is reported on its own line.
        var strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var rest = bytes.AsSpan();
        if (rest.StartsWith("\uFEFF"u8))
            rest = rest[3..];
        for (int lineNumber = 1; rest.Length > 0; lineNumber++)
        {
            int newline = rest.IndexOf((byte)'\n');
            var lineBytes = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            if (lineBytes.EndsWith("\r"u8))
                lineBytes = lineBytes[..^1];
            string token;
            try
            {
                token = strictUtf8.GetString(lineBytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new DataFormatException(vocabPath, lineNumber, $"invalid UTF-8: {e.Message}");
            }
            if (token.Length == 0)
                throw new DataFormatException(vocabPath, lineNumber, "empty token");
            if (!vocabulary.TryAdd(token, lineNumber - 1))
                throw new DataFormatException(vocabPath, lineNumber, $"duplicate token '{token}' (first on line {vocabulary[token] + 1})");
        }
        if (vocabulary.Count == 0)
            throw new DataFormatException(vocabPath, 0, "the vocabulary is empty");

        bool lowercase = true, chinese = true;
        bool? strip = null;
        string unknown = "[UNK]", cls = "[CLS]", sep = "[SEP]", pad = "[PAD]", mask = "[MASK]";
        var added = new List<AddedToken>();
        var neverSplit = new List<string>();
        if (configPath is not null)
        {
            using var document = ParseJson(configPath);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(configPath, 0, "expected a JSON object at the top level");
            lowercase = Bool(root, "do_lower_case", configPath, "do_lower_case") ?? true;
            strip = Bool(root, "strip_accents", configPath, "strip_accents");
            chinese = Bool(root, "tokenize_chinese_chars", configPath, "tokenize_chinese_chars") ?? true;
            unknown = TokenName(root, "unk_token", configPath) ?? unknown;
            cls = TokenName(root, "cls_token", configPath) ?? cls;
            sep = TokenName(root, "sep_token", configPath) ?? sep;
            pad = TokenName(root, "pad_token", configPath) ?? pad;
            mask = TokenName(root, "mask_token", configPath) ?? mask;
            if (root.TryGetProperty("never_split", out var never) && never.ValueKind != JsonValueKind.Null)
            {
                if (never.ValueKind != JsonValueKind.Array || never.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
                    throw new DataFormatException(configPath, 0, "never_split: expected an array of strings or null");
                neverSplit.AddRange(never.EnumerateArray().Select(t => t.GetString()!));
            }
            if (root.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind != JsonValueKind.Null)
            {
                if (decoder.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(configPath, 0, "added_tokens_decoder: expected an object");
                foreach (var entry in decoder.EnumerateObject())
                {
                    string field = $"added_tokens_decoder.{entry.Name}";
                    if (!int.TryParse(entry.Name, out int id) || id < 0)
                        throw new DataFormatException(configPath, 0, $"{field}: the key must be a non-negative integer id");
                    added.Add(ReadAddedToken(entry.Value, id, configPath, field));
                }
            }
        }

        // Special tokens are cut out of raw text, as the fast tokenizer converted from these files does.
        foreach (string special in new[] { pad, unknown, cls, sep, mask })
        {
            if (vocabulary.TryGetValue(special, out int id) && !added.Any(a => a.Content == special))
                added.Add(new AddedToken(special, id, Special: true));
        }
        foreach (string token in neverSplit)
        {
            if (vocabulary.TryGetValue(token, out int id) && !added.Any(a => a.Content == token))
                added.Add(new AddedToken(token, id, Special: false));
        }
        string source = configPath is null ? vocabPath : $"{vocabPath} + {configPath}";
        return new TokenizerDefinition(source, vocabulary, MergeAdded(vocabulary, added, configPath ?? vocabPath),
            CleanText: true, chinese, strip ?? lowercase, lowercase, unknown, DefaultPrefix, DefaultMaxInputCharsPerWord, cls, sep, pad);
    }

    /// <summary>Adds added tokens missing from the vocabulary to it; an added token must not contradict the vocabulary's id.</summary>
    private static List<AddedToken> MergeAdded(Dictionary<string, int> vocabulary, List<AddedToken> added, string path)
    {
        var byId = new Dictionary<int, string>();
        foreach (var (token, id) in vocabulary)
            byId[id] = token;
        foreach (var token in added)
        {
            if (vocabulary.TryGetValue(token.Content, out int id))
            {
                if (id != token.Id)
                    throw new DataFormatException(path, 0, $"added token '{token.Content}' has id {token.Id} but the vocabulary gives it {id}");
                continue;
            }
            if (byId.TryGetValue(token.Id, out string? other))
                throw new DataFormatException(path, 0, $"added token '{token.Content}' has id {token.Id}, already used by '{other}'");
            vocabulary.Add(token.Content, token.Id);
            byId.Add(token.Id, token.Content);
        }
        return added;
    }

    private static AddedToken ReadAddedToken(JsonElement token, int? id, string path, string field)
    {
        if (token.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 0, $"{field}: expected an object");
        string content = String(token, "content", path, field + ".content") ?? "";
        if (content.Length == 0)
            throw new DataFormatException(path, 0, $"{field}.content: missing or empty");
        if (id is not >= 0)
            throw new DataFormatException(path, 0, $"{field}.id: missing or negative");
        // Matching on normalized text, or stripping spaces around a match, changes which words exist:
        // reject rather than silently tokenize differently from Hugging Face.
        if (Bool(token, "normalized", path, field + ".normalized") == true)
            throw new DataFormatException(path, 0, $"{field}: added token '{content}' with normalized: true is not supported");
        foreach (string flag in new[] { "lstrip", "rstrip", "single_word" })
        {
            if (Bool(token, flag, path, $"{field}.{flag}") == true)
                throw new DataFormatException(path, 0, $"{field}: added token '{content}' with {flag}: true is not supported");
        }
        return new AddedToken(content, id.Value, Bool(token, "special", path, field + ".special") ?? false);
    }

    /// <summary>The [CLS] and [SEP] tokens of the pair template: TemplateProcessing or BertProcessing.</summary>
    private static (string Cls, string Sep) ReadPostProcessor(JsonElement root, string path)
    {
        if (!root.TryGetProperty("post_processor", out var processor) || processor.ValueKind == JsonValueKind.Null)
            return ("[CLS]", "[SEP]");
        string type = String(processor, "type", path, "post_processor.type") ?? "";
        if (type == "BertProcessing")
            return (TupleToken(processor, "cls", path), TupleToken(processor, "sep", path));
        if (type != "TemplateProcessing")
            throw new DataFormatException(path, 0, $"post_processor.type: expected TemplateProcessing or BertProcessing, got '{type}'");

        var pair = Required(processor, "pair", JsonValueKind.Array, path, "post_processor.pair");
        var shape = new List<string>();
        var specials = new List<string>();
        foreach (var piece in pair.EnumerateArray())
        {
            if (piece.TryGetProperty("SpecialToken", out var special) && special.ValueKind == JsonValueKind.Object)
            {
                shape.Add("S");
                specials.Add(String(special, "id", path, "post_processor.pair.SpecialToken.id") ?? "");
            }
            else if (piece.TryGetProperty("Sequence", out var sequence) && sequence.ValueKind == JsonValueKind.Object)
            {
                shape.Add(String(sequence, "id", path, "post_processor.pair.Sequence.id") ?? "");
            }
        }
        if (string.Join(" ", shape) != "S A S B S" || specials[1] != specials[2])
            throw new DataFormatException(path, 0, "post_processor.pair: expected the BERT template [CLS] A [SEP] B [SEP]");
        return (specials[0], specials[1]);
    }

    private static string TupleToken(JsonElement processor, string name, string path)
    {
        var tuple = Required(processor, name, JsonValueKind.Array, path, $"post_processor.{name}");
        if (tuple.GetArrayLength() != 2 || tuple[0].ValueKind != JsonValueKind.String)
            throw new DataFormatException(path, 0, $"post_processor.{name}: expected [token, id]");
        return tuple[0].GetString()!;
    }

    /// <summary>A special token in tokenizer_config.json: a string, or an object with "content".</summary>
    private static string? TokenName(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        if (value.ValueKind == JsonValueKind.Object)
            return String(value, "content", path, name + ".content");
        throw new DataFormatException(path, 0, $"{name}: expected a string or an object with \"content\"");
    }

    internal static JsonDocument ParseJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, $"invalid JSON: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, 0, $"cannot read: {e.Message}");
        }
    }

    internal static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string path, string field)
    {
        if (!parent.TryGetProperty(name, out var value))
            throw new DataFormatException(path, 0, $"{field}: missing");
        if (value.ValueKind != kind)
            throw new DataFormatException(path, 0, $"{field}: expected {Describe(kind)}, got {Describe(value.ValueKind)}");
        return value;
    }

    internal static string? String(JsonElement parent, string name, string path, string field)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new DataFormatException(path, 0, $"{field}: expected a string, got {Describe(value.ValueKind)}");
        return value.GetString();
    }

    internal static bool? Bool(JsonElement parent, string name, string path, string field)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new DataFormatException(path, 0, $"{field}: expected true, false or null, got {Describe(value.ValueKind)}"),
        };
    }

    internal static int? Int(JsonElement parent, string name, string path, string field)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int result))
            throw new DataFormatException(path, 0, $"{field}: expected an integer, got {value.GetRawText()}");
        return result;
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
