// SearchRerank: reads a Hugging Face tokenizer.json into a HuggingFaceTokenizer.
using System.Security.Cryptography;
using System.Text.Json;
using SearchRerank.Core;
using static SearchRerank.Rerank.Tokenization.TokenizerFiles;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Builds a <see cref="HuggingFaceTokenizer"/> from tokenizer.json, old and new serializations alike (a model without
/// <c>"type"</c> is a Unigram when its vocab is a [piece, score] list, a BPE when it has merges, else a WordPiece;
/// Metaspace's <c>add_prefix_space</c>/<c>str_rep</c> or <c>prepend_scheme</c>/<c>split</c>). A component it does not
/// implement is a <see cref="DataFormatException"/> naming the field, never a tokenizer that silently differs.
/// </summary>
internal static class TokenizerJsonReader
{
    public static HuggingFaceTokenizer Read(string path)
    {
        using var document = ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 0, "expected a JSON object at the top level");
        var model = Required(root, "model", JsonValueKind.Object, path, "model");
        string type = ModelType(model, path);
        var addedTokens = ReadAddedTokens(root, path);
        var template = ReadPostProcessor(root, path);

        if (type == "WordPiece")
        {
            var bert = BertTokenizer.FromTokenizerJson(path);
            var table = new string?[bert.VocabularySize];
            for (int id = 0; id < table.Length; id++)
                table[id] = bert.IdToToken(id);
            // The own tokenizer's fingerprint, so ids pre-tokenized with BertTokenizer stay valid.
            return new HuggingFaceTokenizer(path, "WordPiece", bert, null, null, null, new AddedVocabulary(addedTokens, null), template,
                table, null, bert.Fingerprint, bert.PadId);
        }

        var normalizer = Optional(root, "normalizer", path) is { } n ? ReadNormalizer(n, path, "normalizer") : null;
        var preTokenizer = Optional(root, "pre_tokenizer", path) is { } p ? ReadPreTokenizer(p, path, "pre_tokenizer") : null;
        var tokens = new Dictionary<int, string>();
        ITokenModel tokenModel;
        string family;
        if (type == "BPE")
        {
            bool byteLevel = preTokenizer is not null && Contains(root.GetProperty("pre_tokenizer"), "ByteLevel");
            tokenModel = ReadBpe(model, byteLevel, path, tokens);
            family = byteLevel ? "BPE (byte-level)" : "BPE";
        }
        else
        {
            tokenModel = ReadUnigram(model, path, tokens);
            family = "Unigram";
        }
        foreach (var token in addedTokens)
            tokens[token.Id] = token.Content;
        var table2 = new string?[tokens.Count == 0 ? 0 : tokens.Keys.Max() + 1];
        foreach (var (id, token) in tokens)
            table2[id] = token;
        var metaspace = Optional(root, "decoder", path) is { } decoder ? FindMetaspaceDecoder(decoder, path) : null;
        return new HuggingFaceTokenizer(path, family, null, normalizer, preTokenizer, tokenModel,
            new AddedVocabulary(addedTokens, normalizer), template, table2, metaspace, Fingerprint(path), PadId(root, addedTokens, path));
    }

    /// <summary>A BERT vocab.txt folder as the WordPiece family with the <c>[CLS] $A [SEP] $B:1 [SEP]:1</c> template.</summary>
    public static HuggingFaceTokenizer FromBertVocabulary(BertTokenizer bert, string vocabPath)
    {
        var table = new string?[bert.VocabularySize];
        for (int id = 0; id < table.Length; id++)
            table[id] = bert.IdToToken(id);
        var template = BertTemplate("BertProcessing", bert.IdToToken(bert.ClsId), bert.ClsId, bert.IdToToken(bert.SepId), bert.SepId);
        return new HuggingFaceTokenizer(vocabPath, "WordPiece", bert, null, null, null, new AddedVocabulary([], null), template,
            table, null, bert.Fingerprint, bert.PadId);
    }

    private static string ModelType(JsonElement model, string path)
    {
        if (String(model, "type", path, "model.type") is { } type)
        {
            if (type is "WordPiece" or "BPE" or "Unigram")
                return type;
            throw new DataFormatException(path, 0, $"model.type: expected WordPiece, BPE or Unigram, got '{type}'");
        }
        if (!model.TryGetProperty("vocab", out var vocab))
            throw new DataFormatException(path, 0, "model.vocab: missing");
        if (vocab.ValueKind == JsonValueKind.Array)
            return "Unigram";
        return model.TryGetProperty("merges", out _) ? "BPE" : "WordPiece";
    }

    private static BpeModel ReadBpe(JsonElement model, bool byteLevel, string path, Dictionary<int, string> tokens)
    {
        var vocabElement = Required(model, "vocab", JsonValueKind.Object, path, "model.vocab");
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw new DataFormatException(path, 0, $"model.vocab.{entry.Name}: expected a non-negative integer id, got {entry.Value.GetRawText()}");
            vocabulary[entry.Name] = id;
            tokens[id] = entry.Name;
        }
        var merges = new List<string>();
        int index = 0;
        foreach (var merge in Required(model, "merges", JsonValueKind.Array, path, "model.merges").EnumerateArray())
        {
            string field = $"model.merges[{index++}]";
            if (merge.ValueKind == JsonValueKind.String && merge.GetString()!.Split(' ') is [var a, var b])
                merges.Add($"{a} {b}");
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                     && merge[0].GetString() is { } left && merge[1].GetString() is { } right && !left.Contains(' ') && !right.Contains(' '))
                merges.Add($"{left} {right}");
            else
                throw new DataFormatException(path, 0, $"{field}: expected \"a b\" or [\"a\", \"b\"] without spaces in the parts, got {merge.GetRawText()}");
        }
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() != 0)
            throw new DataFormatException(path, 0, "model.dropout: BPE dropout is random at inference; only null or 0 is supported");
        foreach (string flag in new[] { "byte_fallback", "ignore_merges" })
        {
            if (Bool(model, flag, path, "model." + flag) == true)
                throw new DataFormatException(path, 0, $"model.{flag}: true is not supported for BPE models");
        }
        return new BpeModel(vocabulary, merges, byteLevel, String(model, "unk_token", path, "model.unk_token"),
            String(model, "continuing_subword_prefix", path, "model.continuing_subword_prefix"),
            String(model, "end_of_word_suffix", path, "model.end_of_word_suffix"),
            Bool(model, "fuse_unk", path, "model.fuse_unk") ?? false);
    }

    private static UnigramModel ReadUnigram(JsonElement model, string path, Dictionary<int, string> tokens)
    {
        var vocabulary = new List<(string, double)>();
        foreach (var entry in Required(model, "vocab", JsonValueKind.Array, path, "model.vocab").EnumerateArray())
        {
            string field = $"model.vocab[{vocabulary.Count}]";
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2 || entry[0].ValueKind != JsonValueKind.String
                || entry[1].ValueKind != JsonValueKind.Number)
                throw new DataFormatException(path, 0, $"{field}: expected [piece, score], got {entry.GetRawText()}");
            tokens[vocabulary.Count] = entry[0].GetString()!;
            vocabulary.Add((entry[0].GetString()!, entry[1].GetDouble()));
        }
        int unknown = Int(model, "unk_id", path, "model.unk_id")
            ?? throw new DataFormatException(path, 0, "model.unk_id: missing (a Unigram model needs an unknown token for characters no piece covers)");
        if (unknown < 0 || unknown >= vocabulary.Count)
            throw new DataFormatException(path, 0, $"model.unk_id: {unknown} is not an id of the {vocabulary.Count}-piece vocabulary");
        return new UnigramModel(vocabulary, unknown, Bool(model, "byte_fallback", path, "model.byte_fallback") ?? false);
    }

    private static List<AddedTokenSpec> ReadAddedTokens(JsonElement root, string path)
    {
        var result = new List<AddedTokenSpec>();
        if (Optional(root, "added_tokens", path) is not { } array)
            return result;
        if (array.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(path, 0, "added_tokens: expected an array");
        foreach (var token in array.EnumerateArray())
        {
            string field = $"added_tokens[{result.Count}]";
            if (token.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(path, 0, $"{field}: expected an object");
            string content = String(token, "content", path, field + ".content") ?? "";
            if (content.Length == 0)
                throw new DataFormatException(path, 0, $"{field}.content: missing or empty");
            int id = Int(token, "id", path, field + ".id") is { } i and >= 0 ? i
                : throw new DataFormatException(path, 0, $"{field}.id: missing or negative");
            result.Add(new AddedTokenSpec(content, id,
                Bool(token, "special", path, field + ".special") ?? false,
                Bool(token, "single_word", path, field + ".single_word") ?? false,
                Bool(token, "lstrip", path, field + ".lstrip") ?? false,
                Bool(token, "rstrip", path, field + ".rstrip") ?? false,
                Bool(token, "normalized", path, field + ".normalized") ?? !(Bool(token, "special", path, field + ".special") ?? false)));
        }
        return result;
    }

    private static INormalizer ReadNormalizer(JsonElement element, string path, string field)
    {
        string type = String(element, "type", path, field + ".type") ?? throw new DataFormatException(path, 0, $"{field}.type: missing");
        switch (type)
        {
            case "Sequence":
                var list = Required(element, "normalizers", JsonValueKind.Array, path, field + ".normalizers");
                return new SequenceNormalizer(list.EnumerateArray().Select((n, i) => ReadNormalizer(n, path, $"{field}.normalizers[{i}]")).ToList());
            case "Precompiled":
                string? base64 = String(element, "precompiled_charsmap", path, field + ".precompiled_charsmap");
                try
                {
                    return new PrecompiledNormalizer(new PrecompiledCharsMap(string.IsNullOrEmpty(base64) ? [0, 0, 0, 0] : Convert.FromBase64String(base64)));
                }
                catch (FormatException e)
                {
                    throw new DataFormatException(path, 0, $"{field}.precompiled_charsmap: {e.Message}");
                }
            case "Lowercase":
                return new LowercaseNormalizer();
            case "Strip":
                return new StripNormalizer(Bool(element, "strip_left", path, field + ".strip_left") ?? true,
                    Bool(element, "strip_right", path, field + ".strip_right") ?? true);
            case "Prepend":
                return new PrependNormalizer(String(element, "prepend", path, field + ".prepend") ?? "");
            case "Replace":
                var pattern = Required(element, "pattern", JsonValueKind.Object, path, field + ".pattern");
                string content = String(element, "content", path, field + ".content") ?? "";
                if (String(pattern, "String", path, field + ".pattern.String") is { } literal)
                    return ReplaceNormalizer.Literal(literal, content);
                if (String(pattern, "Regex", path, field + ".pattern.Regex") is { } regex)
                    return ReplaceNormalizer.Pattern(regex, content);
                throw new DataFormatException(path, 0, $"{field}.pattern: expected {{\"String\": …}} or {{\"Regex\": …}}");
            case "NFC" or "NFD" or "NFKC" or "NFKD":
                return new UnicodeNormalizer(type);
            default:
                throw new DataFormatException(path, 0, $"{field}.type: normalizer '{type}' is not supported with BPE or Unigram models " +
                    "(supported: Precompiled, NFC, NFD, NFKC, NFKD, Lowercase, Strip, Prepend, Replace, Sequence)");
        }
    }

    private static IPreTokenizer ReadPreTokenizer(JsonElement element, string path, string field)
    {
        string type = String(element, "type", path, field + ".type") ?? throw new DataFormatException(path, 0, $"{field}.type: missing");
        switch (type)
        {
            case "Sequence":
                var list = Required(element, "pretokenizers", JsonValueKind.Array, path, field + ".pretokenizers");
                return new SequencePreTokenizer(list.EnumerateArray().Select((p, i) => ReadPreTokenizer(p, path, $"{field}.pretokenizers[{i}]")).ToList());
            case "ByteLevel":
                if (Bool(element, "use_regex", path, field + ".use_regex") == false)
                    throw new DataFormatException(path, 0, $"{field}.use_regex: false is not supported (only GPT-2's word split)");
                return new ByteLevelPreTokenizer(Bool(element, "add_prefix_space", path, field + ".add_prefix_space") ?? true);
            case "Metaspace":
                return ReadMetaspace(element, path, field);
            case "WhitespaceSplit":
                return new WhitespaceSplitPreTokenizer();
            case "Whitespace":
                return new WhitespacePreTokenizer();
            default:
                throw new DataFormatException(path, 0, $"{field}.type: pre-tokenizer '{type}' is not supported with BPE or Unigram models " +
                    "(supported: ByteLevel, Metaspace, WhitespaceSplit, Whitespace, Sequence)");
        }
    }

    private static MetaspacePreTokenizer ReadMetaspace(JsonElement element, string path, string field)
    {
        string replacement = String(element, "replacement", path, field + ".replacement") ?? "▁";
        if (replacement.Length != 1)
            throw new DataFormatException(path, 0, $"{field}.replacement: expected one character, got '{replacement}'");
        var scheme = String(element, "prepend_scheme", path, field + ".prepend_scheme") switch
        {
            "always" => PrependScheme.Always,
            "first" => PrependScheme.First,
            "never" => PrependScheme.Never,
            null => Bool(element, "add_prefix_space", path, field + ".add_prefix_space") == false ? PrependScheme.Never : PrependScheme.Always,
            var other => throw new DataFormatException(path, 0, $"{field}.prepend_scheme: expected always, first or never, got '{other}'"),
        };
        return new MetaspacePreTokenizer(replacement[0], scheme, Bool(element, "split", path, field + ".split") ?? true);
    }

    private static MetaspacePreTokenizer? FindMetaspaceDecoder(JsonElement decoder, string path)
    {
        string? type = String(decoder, "type", path, "decoder.type");
        if (type == "Metaspace")
            return ReadMetaspace(decoder, path, "decoder");
        if (type == "Sequence" && decoder.TryGetProperty("decoders", out var list) && list.ValueKind == JsonValueKind.Array)
            return list.EnumerateArray().Select(d => FindMetaspaceDecoder(d, path)).FirstOrDefault(d => d is not null);
        return null;
    }

    private static TemplateProcessor ReadPostProcessor(JsonElement root, string path)
    {
        if (Optional(root, "post_processor", path) is not { } processor)
            return new TemplateProcessor("none", [new('A', [], "", 0)], [new('A', [], "", 0), new('B', [], "", 1)]);
        return ReadProcessor(processor, path, "post_processor");
    }

    private static TemplateProcessor ReadProcessor(JsonElement processor, string path, string field)
    {
        string type = String(processor, "type", path, field + ".type") ?? "";
        switch (type)
        {
            case "BertProcessing":
            {
                var (cls, clsId) = TupleToken(processor, "cls", path, field);
                var (sep, sepId) = TupleToken(processor, "sep", path, field);
                return BertTemplate(type, cls, clsId, sep, sepId);
            }
            case "RobertaProcessing":
            {
                var (cls, clsId) = TupleToken(processor, "cls", path, field);
                var (sep, sepId) = TupleToken(processor, "sep", path, field);
                TemplateProcessor.Item Cls() => new('\0', [clsId], cls, 0);
                TemplateProcessor.Item Sep() => new('\0', [sepId], sep, 0);
                return new TemplateProcessor(type, [Cls(), new('A', [], "", 0), Sep()],
                    [Cls(), new('A', [], "", 0), Sep(), Sep(), new('B', [], "", 0), Sep()]);
            }
            case "TemplateProcessing":
            {
                var specials = new Dictionary<string, int[]>();
                if (Optional(processor, "special_tokens", path) is { } map)
                {
                    foreach (var entry in map.EnumerateObject())
                    {
                        var ids = Required(entry.Value, "ids", JsonValueKind.Array, path, $"{field}.special_tokens.{entry.Name}.ids");
                        specials[entry.Name] = ids.EnumerateArray().Select(i => i.GetInt32()).ToArray();
                    }
                }
                return new TemplateProcessor(type, TemplateItems(processor, "single", specials, path, field),
                    TemplateItems(processor, "pair", specials, path, field));
            }
            case "Sequence":
            {
                // e.g. [ByteLevel (offsets only), TemplateProcessing]: the one that adds tokens decides the ids.
                var list = Required(processor, "processors", JsonValueKind.Array, path, field + ".processors");
                var adding = list.EnumerateArray().Select((p, i) => (p, i))
                    .Where(x => String(x.p, "type", path, $"{field}.processors[{x.i}].type") != "ByteLevel").ToList();
                if (adding.Count == 0)
                    return new TemplateProcessor("none", [new('A', [], "", 0)], [new('A', [], "", 0), new('B', [], "", 1)]);
                if (adding.Count > 1)
                    throw new DataFormatException(path, 0, $"{field}.processors: more than one processor adds special tokens");
                return ReadProcessor(adding[0].p, path, $"{field}.processors[{adding[0].i}]");
            }
            case "ByteLevel":
                return new TemplateProcessor("none", [new('A', [], "", 0)], [new('A', [], "", 0), new('B', [], "", 1)]);
            default:
                throw new DataFormatException(path, 0, $"{field}.type: expected TemplateProcessing, BertProcessing, RobertaProcessing or Sequence, got '{type}'");
        }
    }

    private static TemplateProcessor BertTemplate(string type, string cls, int clsId, string sep, int sepId) =>
        new(type, [new('\0', [clsId], cls, 0), new('A', [], "", 0), new('\0', [sepId], sep, 0)],
            [new('\0', [clsId], cls, 0), new('A', [], "", 0), new('\0', [sepId], sep, 0), new('B', [], "", 1), new('\0', [sepId], sep, 1)]);

    private static List<TemplateProcessor.Item> TemplateItems(JsonElement processor, string name, Dictionary<string, int[]> specials,
        string path, string field)
    {
        var items = new List<TemplateProcessor.Item>();
        int index = 0;
        foreach (var piece in Required(processor, name, JsonValueKind.Array, path, $"{field}.{name}").EnumerateArray())
        {
            string at = $"{field}.{name}[{index++}]";
            if (piece.TryGetProperty("Sequence", out var sequence))
            {
                string id = String(sequence, "id", path, at + ".Sequence.id") ?? "";
                if (id is not ("A" or "B"))
                    throw new DataFormatException(path, 0, $"{at}.Sequence.id: expected A or B, got '{id}'");
                items.Add(new(id[0], [], "", Int(sequence, "type_id", path, at + ".Sequence.type_id") ?? 0));
            }
            else if (piece.TryGetProperty("SpecialToken", out var special))
            {
                string id = String(special, "id", path, at + ".SpecialToken.id") ?? "";
                if (!specials.TryGetValue(id, out var ids))
                    throw new DataFormatException(path, 0, $"{at}.SpecialToken.id: '{id}' is not in {field}.special_tokens");
                items.Add(new('\0', ids, id, Int(special, "type_id", path, at + ".SpecialToken.type_id") ?? 0));
            }
            else
            {
                throw new DataFormatException(path, 0, $"{at}: expected {{\"Sequence\": …}} or {{\"SpecialToken\": …}}");
            }
        }
        return items;
    }

    private static (string Token, int Id) TupleToken(JsonElement processor, string name, string path, string field)
    {
        var tuple = Required(processor, name, JsonValueKind.Array, path, $"{field}.{name}");
        if (tuple.GetArrayLength() != 2 || tuple[0].ValueKind != JsonValueKind.String || !tuple[1].TryGetInt32(out int id))
            throw new DataFormatException(path, 0, $"{field}.{name}: expected [token, id]");
        return (tuple[0].GetString()!, id);
    }

    /// <summary>padding.pad_id when tokenizer.json pads, else the added token &lt;pad&gt; or [PAD], else 0.</summary>
    private static int PadId(JsonElement root, List<AddedTokenSpec> added, string path)
    {
        if (Optional(root, "padding", path) is { ValueKind: JsonValueKind.Object } padding && Int(padding, "pad_id", path, "padding.pad_id") is { } id)
            return id;
        return added.FirstOrDefault(t => t.Content is "<pad>" or "[PAD]")?.Id ?? 0;
    }

    private static JsonElement? Optional(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static bool Contains(JsonElement element, string type) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => (p.Name == "type" && p.Value.ValueKind == JsonValueKind.String
            && p.Value.GetString() == type) || Contains(p.Value, type)),
        JsonValueKind.Array => element.EnumerateArray().Any(e => Contains(e, type)),
        _ => false,
    };

    private static string Fingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream), 0, 8).ToLowerInvariant();
    }
}
