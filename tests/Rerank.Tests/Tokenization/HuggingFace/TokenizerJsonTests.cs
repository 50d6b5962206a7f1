// SearchRerank: tokenizer.json components the two reference files do not use, on small hand-checked vocabularies.
using System.Text.Json.Nodes;
using SearchRerank.Core;
using SearchRerank.Rerank.Tokenization.HuggingFace;

namespace SearchRerank.Rerank.Tests.Tokenization.HuggingFace;

public sealed class TokenizerJsonTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "sr-tj-" + Guid.NewGuid().ToString("N"));

    public TokenizerJsonTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // ids: <pad> 0, <s> 1, </s> 2, <unk> 3, ▁ 4, ▁hello 5, ▁world 6, h 7, e 8, l 9, o 10, ▁he 11, llo 12
    private static JsonArray UnigramVocab() => JsonNode.Parse("""
        [["<pad>",0],["<s>",0],["</s>",0],["<unk>",0],["▁",-2],["▁hello",-3],["▁world",-3],
         ["h",-5],["e",-5],["l",-5],["o",-5],["▁he",-4],["llo",-4]]
        """)!.AsArray();

    private static JsonArray Specials(params (string Content, int Id)[] tokens) => new(tokens.Select(t => (JsonNode)new JsonObject
    {
        ["id"] = t.Id, ["content"] = t.Content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
        ["normalized"] = false, ["special"] = true,
    }).ToArray());

    /// <summary>A DeBERTa-v3-shaped file in the newer serialization: Lowercase + Replace(" {2,}"), Metaspace prepend_scheme, [CLS] A [SEP] B:1 [SEP]:1.</summary>
    private JsonObject DebertaLike() => new()
    {
        ["version"] = "1.0",
        ["added_tokens"] = Specials(("<pad>", 0), ("<s>", 1), ("</s>", 2), ("<unk>", 3)),
        ["normalizer"] = JsonNode.Parse("""
            {"type":"Sequence","normalizers":[{"type":"Lowercase"},{"type":"Strip","strip_left":true,"strip_right":true},
             {"type":"Replace","pattern":{"Regex":" {2,}"},"content":" "}]}
            """),
        ["pre_tokenizer"] = JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}"""),
        ["post_processor"] = JsonNode.Parse("""
            {"type":"TemplateProcessing",
             "single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"</s>","type_id":0}}],
             "pair":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"</s>","type_id":0}},
                     {"Sequence":{"id":"B","type_id":1}},{"SpecialToken":{"id":"</s>","type_id":1}}],
             "special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]},"</s>":{"id":"</s>","ids":[2],"tokens":["</s>"]}}}
            """),
        ["decoder"] = JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}"""),
        ["model"] = new JsonObject { ["type"] = "Unigram", ["unk_id"] = 3, ["vocab"] = UnigramVocab() },
    };

    private HuggingFaceTokenizer Load(JsonObject json)
    {
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
        return HuggingFaceTokenizer.FromDirectory(folder);
    }

    private DataFormatException LoadFails(JsonObject json) => Assert.Throws<DataFormatException>(() => Load(json));

    [Fact]
    public void NewSerializationWithTypeIdsOnTheSecondSegment()
    {
        var tokenizer = Load(DebertaLike());
        Assert.Equal("Unigram", tokenizer.Family);
        Assert.True(tokenizer.UsesTokenTypeIds);
        Assert.Equal("<s> $A </s> $B:1 </s>:1", tokenizer.PairTemplate);
        // "  Hello   WORLD " → "hello world" → ▁hello ▁world
        Assert.Equal([5, 6], tokenizer.Tokenize("  Hello   WORLD "));
        var pair = tokenizer.EncodePair("hello", "world");
        Assert.Equal([1, 5, 2, 6, 2], pair.InputIds);
        Assert.Equal([0, 0, 0, 1, 1], pair.TokenTypeIds);
        Assert.Equal("hello world", tokenizer.Decode(tokenizer.Tokenize("hello world")));
    }

    [Fact]
    public void UnknownCharactersFuseIntoOneUnknownToken() =>
        Assert.Equal([4, 3, 6], Load(DebertaLike()).Tokenize("xyz world"));

    [Fact]
    public void XlmRobertaTemplateOnAUnigramModel()
    {
        var json = DebertaLike();
        json["post_processor"] = JsonNode.Parse("""{"type":"RobertaProcessing","sep":["</s>",2],"cls":["<s>",1],"trim_offsets":true,"add_prefix_space":true}""");
        var tokenizer = Load(json);
        Assert.False(tokenizer.UsesTokenTypeIds);
        Assert.Equal([1, 5, 2, 2, 6, 2], tokenizer.EncodePair("hello", "world").InputIds);
        Assert.Equal([1, 5, 2], tokenizer.Encode("hello").InputIds);
    }

    [Theory]
    [InlineData("""{"type":"Metaspace","replacement":"▁","str_rep":"▁","add_prefix_space":false}""", new[] { 7, 8, 12 })]
    [InlineData("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":true}""", new[] { 7, 8, 12 })]
    [InlineData("""{"type":"Metaspace","replacement":"▁","str_rep":"▁","add_prefix_space":true}""", new[] { 5 })]
    [InlineData("""{"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},{"type":"Metaspace","replacement":"▁","prepend_scheme":"first"}]}""", new[] { 5 })]
    public void MetaspaceOldAndNewKeys(string preTokenizer, int[] expected)
    {
        var json = DebertaLike();
        json["pre_tokenizer"] = JsonNode.Parse(preTokenizer);
        Assert.Equal(expected, Load(json).Tokenize("hello"));
    }

    [Fact]
    public void PrependSchemeFirstOnlyPrependsAtTheStartOfTheInput()
    {
        var json = DebertaLike();
        json["pre_tokenizer"] = JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":true}""");
        var tokenizer = Load(json);
        Assert.Equal([1, 7, 8, 12], tokenizer.Tokenize("<s>hello"));
        Assert.Equal([5, 1, 7, 8, 12], tokenizer.Tokenize("hello<s>hello"));
    }

    [Fact]
    public void SingleWordAddedTokensOnlyMatchAlone()
    {
        var json = DebertaLike();
        json["added_tokens"]!.AsArray().Add(JsonNode.Parse("""
            {"id":13,"content":"xx","single_word":true,"lstrip":false,"rstrip":false,"normalized":false,"special":false}
            """));
        var tokenizer = Load(json);
        Assert.Equal([13, 5], tokenizer.Tokenize("xx hello"));
        Assert.Equal([4, 3], tokenizer.Tokenize("axx"));
    }

    [Fact]
    public void OnlySecondRaisesHuggingFacesErrorWhenThePassageCannotAbsorbTheExcess()
    {
        var tokenizer = Load(DebertaLike());
        var error = Assert.Throws<TruncationException>(() =>
            tokenizer.EncodePair("hello world hello world", "world", maxLength: 6, TruncationStrategy.OnlySecond));
        Assert.Equal("Truncation error: Sequence to truncate too short to respect the provided max_length", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodePair("hello", "world", maxLength: 2));
    }

    [Theory]
    [InlineData(100, 100, 61, nameof(TruncationStrategy.LongestFirst), 30, 31)]
    [InlineData(10, 100, 61, nameof(TruncationStrategy.LongestFirst), 10, 51)]
    [InlineData(100, 10, 61, nameof(TruncationStrategy.LongestFirst), 51, 10)]
    [InlineData(70, 65, 61, nameof(TruncationStrategy.LongestFirst), 31, 30)]
    [InlineData(20, 50, 61, nameof(TruncationStrategy.OnlySecond), 20, 41)]
    [InlineData(3, 4, 61, nameof(TruncationStrategy.OnlySecond), 3, 4)]
    // The strategy by name: a public test method cannot take the internal enum.
    public void PairTruncationKeepsHuggingFacesLengths(int first, int second, int budget, string strategy, int keptFirst, int keptSecond)
    {
        var tokenizer = Load(DebertaLike());
        var encoding = tokenizer.EncodePair(Enumerable.Repeat(5, first).ToArray(), Enumerable.Repeat(6, second).ToArray(),
            budget + tokenizer.SpecialTokenCount(pair: true), Enum.Parse<TruncationStrategy>(strategy));
        Assert.Equal((keptFirst, keptSecond), (encoding.InputIds.Count(id => id == 5), encoding.InputIds.Count(id => id == 6)));
        Assert.Equal(first + second > budget, encoding.Truncated);
    }

    [Theory]
    [InlineData("normalizer", """{"type":"Sequence","normalizers":[{"type":"Lowercase"},{"type":"StripAccents"}]}""", "normalizer.normalizers[1].type")]
    [InlineData("pre_tokenizer", """{"type":"Digits","individual_digits":true}""", "pre_tokenizer.type: pre-tokenizer 'Digits'")]
    [InlineData("post_processor", """{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"[CLS]","type_id":0}}],"pair":[],"special_tokens":{}}""",
        "post_processor.single[0].SpecialToken.id: '[CLS]'")]
    public void UnsupportedOrBrokenComponentsNameTheirField(string section, string value, string message)
    {
        var json = DebertaLike();
        json[section] = JsonNode.Parse(value);
        Assert.Contains(message, LoadFails(json).Message);
    }

    [Fact]
    public void NfkcNormalizerFoldsCompatibilityCharacters()
    {
        var json = DebertaLike();
        json["normalizer"] = JsonNode.Parse("""{"type":"Sequence","normalizers":[{"type":"NFKC"},{"type":"Lowercase"}]}""");
        // U+FF28 U+FF25 … (fullwidth HELLO) → "hello" → ▁hello
        Assert.Equal([5], Load(json).Tokenize("\uff28\uff25\uff2c\uff2c\uff2f"));
    }

    [Fact]
    public void AUnigramModelWithoutUnknownIdIsRejected()
    {
        var json = DebertaLike();
        json["model"]!.AsObject().Remove("unk_id");
        Assert.Contains("model.unk_id: missing", LoadFails(json).Message);
    }

    [Fact]
    public void AFolderWithoutTokenizerFilesSaysSo() =>
        Assert.Contains("no tokenizer.json or vocab.txt", Assert.Throws<DataFormatException>(() => HuggingFaceTokenizer.FromDirectory(folder)).Message);
}
