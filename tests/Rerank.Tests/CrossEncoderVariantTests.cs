using System.Text.Json.Nodes;
using SearchRerank.Core;

namespace SearchRerank.Rerank.Tests;

/// <summary>
/// Sequence-classification exports as people bring them: RoBERTa (no token_type_ids, pad id 1), T5-vocabulary Unigram,
/// BERT with token_type_ids; one logit raw or through sentence-transformers' sigmoid, two labels (positive class, or
/// softmax); each a tiny ONNX graph whose score is predictable from the tokenizer's ids.
/// </summary>
public sealed class CrossEncoderVariantTests : IDisposable
{
    private static readonly (string, string)[] Pairs =
    [
        ("aspirin heart attack", "Daily aspirin lowers the risk of a first heart attack in older adults."),
        ("coffee", "Coffee consumption is associated with lower mortality in several large cohorts of adults."),
        ("q", string.Join(' ', Enumerable.Repeat("protein folding", 400))),
    ];

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>Weights that are exact in float sums: 0.25 × (id mod 5), the pad id 0 (so padding adds nothing only if it is the pad id), id 0 heavy.</summary>
    private static float[] Weights(int size, int padId)
    {
        var words = new float[size];
        for (var i = 0; i < size; i++)
            words[i] = 0.25f * (i % 5);
        words[0] = 100f;
        words[padId] = 0f;
        return words;
    }

    private void Folder(string tokenizerFamily, JsonObject config, byte[] model)
    {
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json" })
            File.Copy(Path.Combine(TestPaths.Shared, "reference", "tokenizers", tokenizerFamily, name), Path.Combine(dir.Path, name));
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), config.ToJsonString());
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), model);
    }

    private static float Sum(CrossEncoder encoder, float[] words, (string, string) pair) =>
        encoder.Tokenizer.EncodePair(pair.Item1, pair.Item2, encoder.MaxLength).InputIds.Sum(id => words[id]);

    [Theory]
    [InlineData(null, false)]
    [InlineData("torch.nn.modules.activation.Sigmoid", true)]
    public void RobertaExportWithoutTokenTypeIdsRawOrSigmoid(string? activation, bool sigmoid)
    {
        var words = Weights(50265, padId: 1);
        var config = new JsonObject { ["vocab_size"] = 50265, ["max_position_embeddings"] = 514 };
        if (activation is not null)
            config["sentence_transformers"] = new JsonObject { ["activation_fn"] = activation };
        Folder("roberta-base", config, TinyOnnx.ClassifierModel(words, tokenTypeIds: false, labels: 1));
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { Threads = 1, BatchSize = 3 });
        Assert.Equal(["input_ids", "attention_mask"], encoder.InputNames);
        Assert.Equal(512, encoder.MaxLength); // tokenizer_config.json's model_max_length
        Assert.Equal("BPE (byte-level)", encoder.Tokenizer.Family);
        // One batch of three lengths: the shorter pairs are padded with <pad> (id 1, weight 0); padding with id 0
        // (<s>, weight 100) would show in their scores.
        var scores = encoder.Predict(Pairs);
        for (var i = 0; i < Pairs.Length; i++)
        {
            var sum = Sum(encoder, words, Pairs[i]);
            Assert.Equal(sigmoid ? 1f / (1f + MathF.Exp(-sum)) : sum, scores[i], 5);
        }
    }

    [Fact]
    public void BertExportWithTokenTypeIdsAndTwoLabelsThroughSoftmax()
    {
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        var configPath = Path.Combine(dir.Path, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["id2label"] = new JsonObject { ["0"] = "irrelevant", ["1"] = "relevant" };
        config.Remove("sentence_transformers"); // the reference's Identity, in the newer key; this tests the older one
        config["sbert_ce_default_activation_function"] = "torch.nn.modules.activation.Softmax";
        File.WriteAllText(configPath, config.ToJsonString());
        var words = Weights(30522, padId: 0);
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.ClassifierModel(words, tokenTypeIds: true, labels: 2, typeWeight: 0.5f));
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { Threads = 1, MaxLength = 64 });
        Assert.Equal(new RelevanceHead(2, ScoreActivation.Softmax), encoder.Head);
        var scores = encoder.Predict(Pairs);
        for (var i = 0; i < Pairs.Length; i++)
        {
            var encoding = encoder.Tokenizer.EncodePair(Pairs[i].Item1, Pairs[i].Item2, 64);
            var s = encoding.InputIds.Sum(id => words[id]) + 0.5f * encoding.TokenTypeIds.Sum();
            Assert.Equal(1f / (1f + MathF.Exp(-2 * s)), scores[i], 5); // softmax(−s, s)[1]
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnigramExportTwoLabelsRawIsThePositiveLogitAndRankOneOutputIsTheLogit(bool twoLabels)
    {
        var words = Weights(32100, padId: 0);
        words[0] = 0f;
        Folder("t5-small", new JsonObject { ["vocab_size"] = 32128 },
            twoLabels ? TinyOnnx.ClassifierModel(words, false, labels: 2) : TinyOnnx.ClassifierModel(words, false, labels: 1, labelAxis: false));
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { Threads = 1 });
        Assert.Equal("Unigram", encoder.Tokenizer.Family);
        Assert.Equal(new RelevanceHead(twoLabels ? 2 : 1, ScoreActivation.Identity), encoder.Head);
        var scores = encoder.Predict(Pairs);
        for (var i = 0; i < Pairs.Length; i++)
            Assert.Equal(Sum(encoder, words, Pairs[i]), scores[i], 5);
    }

    [Fact]
    public void ThreeLabelsAreRefusedNamingTheOutput()
    {
        Folder("t5-small", new JsonObject { ["vocab_size"] = 32128 }, TinyOnnx.ClassifierModel(new float[32100], false, labels: 3));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("logits: Float[-1,3] must be float [batch, 1] or [batch, 2]", ex.Message);
    }

    [Fact]
    public void AnUnknownActivationIsNamed()
    {
        Folder("t5-small", new JsonObject { ["vocab_size"] = 32128, ["sentence_transformers"] = new JsonObject { ["activation_fn"] = "torch.nn.Tanh" } },
            TinyOnnx.ClassifierModel(new float[32100], false, labels: 1));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("config.json: field 'sentence_transformers.activation_fn' must name Identity, Sigmoid or Softmax", ex.Message);
    }

    [Fact]
    public void ATokenizerLargerThanTheEmbeddingTableIsNamed()
    {
        Folder("t5-small", new JsonObject { ["vocab_size"] = 32000 }, TinyOnnx.ClassifierModel(new float[32100], false, labels: 1));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("vocab_size 32000 but the tokenizer", ex.Message);
    }
}
