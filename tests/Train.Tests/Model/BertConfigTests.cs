using System.Text.Json.Nodes;
using SearchRerank.Core;
using SearchRerank.Train.Modeling;

namespace SearchRerank.Train.Tests.Model;

public class BertConfigTests
{
    [Fact]
    public void ReadsReferenceConfig()
    {
        var config = BertConfig.Read(ReferenceFiles.TinyConfig);

        Assert.Equal(30522, config.VocabSize);
        Assert.Equal(128, config.HiddenSize);
        Assert.Equal(2, config.NumHiddenLayers);
        Assert.Equal(2, config.NumAttentionHeads);
        Assert.Equal(64, config.HeadSize);
        Assert.Equal(512, config.IntermediateSize);
        Assert.Equal(512, config.MaxPositionEmbeddings);
        Assert.Equal(2, config.TypeVocabSize);
        Assert.Equal(1e-12, config.LayerNormEps);
        Assert.Equal("gelu", config.HiddenAct);
        Assert.Equal(0.1, config.HiddenDropoutProb);
        Assert.Equal(0, config.PadTokenId);
        Assert.Equal(["BertForSequenceClassification"], config.Architectures);
        Assert.Equal(1, config.NumLabels);
        Assert.False(config.ExactMatch);
    }

    [Fact]
    public void RewriteKeepsEveryHuggingFaceField()
    {
        using var dir = new TempDirectory();
        string path = dir.File("config.json");
        var config = BertConfig.Read(ReferenceFiles.TinyConfig) with { ExactMatch = true, NumHiddenLayers = 3 };
        config.Write(path);

        var original = JsonNode.Parse(File.ReadAllText(ReferenceFiles.TinyConfig))!.AsObject();
        var written = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var (key, value) in original)
        {
            if (key != "num_hidden_layers")
                Assert.True(JsonNode.DeepEquals(value, written[key]), $"field {key} changed: {written[key]?.ToJsonString()}");
        }
        Assert.Equal(3, (int)written["num_hidden_layers"]!);
        Assert.True((bool)written["exact_match"]!);
        Assert.Equal(written.Select(kv => kv.Key).Order(StringComparer.Ordinal), written.Select(kv => kv.Key));

        var back = BertConfig.Read(path);
        Assert.True(back.ExactMatch);
        Assert.Equal(3, back.NumHiddenLayers);
        Assert.Equal(config.ToJson(), back.ToJson());
    }

    [Fact]
    public void MissingFieldsTakeBertBaseDefaults()
    {
        var config = BertConfig.Parse("{}");
        Assert.Equal(768, config.HiddenSize);
        Assert.Equal(12, config.NumHiddenLayers);
        Assert.Equal(3072, config.IntermediateSize);
        Assert.Equal(0.02, config.InitializerRange);
        Assert.Equal(1, config.NumLabels);
    }

    [Theory]
    [InlineData("{\n  \"hidden_size\": 128, \"num_attention_heads\": 2,\n  \"hidden_act\": \"relu\"\n}", 3, "hidden_act: 'relu' is not supported")]
    [InlineData("{\n  \"hidden_size\": 100,\n  \"num_attention_heads\": 3\n}", 3, "num_attention_heads: hidden_size 100 is not a multiple of num_attention_heads 3")]
    [InlineData("{\n\n  \"vocab_size\": \"many\"\n}", 3, "vocab_size: expected an integer, got \"many\"")]
    [InlineData("{\"id2label\": {\"0\": \"a\", \"1\": \"b\"}}", 1, "id2label: a cross-encoder has exactly 1 label, got 2")]
    [InlineData("{\n\"pad_token_id\": 10, \"vocab_size\": 5}", 2, "pad_token_id: must be in [0, vocab_size 5), got 10")]
    [InlineData("{\"exact_match\": 1}", 1, "exact_match: expected true or false, got 1")]
    [InlineData("{\"position_embedding_type\": \"relative_key\"}", 1, "position_embedding_type 'relative_key' is not supported")]
    [InlineData("{\"layer_norm_eps\": 0}", 1, "layer_norm_eps: must be a positive number, got 0")]
    [InlineData("{\n  \"hidden_size\": 12,\n  oops\n}", 3, "invalid JSON")]
    [InlineData("[1, 2]", 1, "config must be a JSON object")]
    public void InvalidConfigsNameFileLineAndField(string json, long line, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("config.json");
        File.WriteAllText(path, json);

        var ex = Assert.Throws<DataFormatException>(() => BertConfig.Read(path));
        Assert.Equal(path, ex.Path);
        Assert.Equal(line, ex.Line);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ValidateRejectsConfigsBuiltInCode()
    {
        var ex = Assert.Throws<DataFormatException>(() => (new BertConfig() with { HiddenAct = "gelu_new" }).Validate("recipe.yaml"));
        Assert.Equal("recipe.yaml: hidden_act: 'gelu_new' is not supported: only 'gelu' (exact erf GELU) is", ex.Message);
    }
}
