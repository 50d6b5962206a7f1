using SearchRerank.Train.Modeling;

namespace SearchRerank.Train.Tests.Model;

public class BertInitializerTests
{
    private static readonly BertConfig Small = new()
    {
        VocabSize = 500, HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4,
        IntermediateSize = 64, MaxPositionEmbeddings = 64, PadTokenId = 3,
    };

    [Fact]
    public void FollowsHuggingFaceInitialisation()
    {
        var weights = BertInitializer.Create(Small, seed: 7);

        BertParameters.Check(Small, weights, "random");
        Assert.All(weights["bert.encoder.layer.1.output.LayerNorm.weight"].Data, v => Assert.Equal(1f, v));
        Assert.All(weights["bert.encoder.layer.0.attention.self.query.bias"].Data, v => Assert.Equal(0f, v));
        Assert.All(weights["classifier.bias"].Data, v => Assert.Equal(0f, v));
        var words = weights["bert.embeddings.word_embeddings.weight"].Data;
        Assert.All(words.AsSpan(3 * 32, 32).ToArray(), v => Assert.Equal(0f, v));
        Assert.NotEqual(0f, words[2 * 32]);

        var all = weights.Where(kv => kv.Key.EndsWith(".weight") && !kv.Key.Contains("LayerNorm"))
            .SelectMany(kv => kv.Value.Data).Select(v => (double)v).ToList();
        double mean = all.Average();
        double std = Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(std, 0.0195, 0.0205);
    }

    [Fact]
    public void SeedDeterminesWeights()
    {
        var a = BertInitializer.Create(Small, seed: 1);
        var b = BertInitializer.Create(Small, seed: 1);
        var c = BertInitializer.Create(Small, seed: 2);
        Assert.Equal(a["classifier.weight"].Data, b["classifier.weight"].Data);
        Assert.NotEqual(a["classifier.weight"].Data, c["classifier.weight"].Data);
    }

    [Fact]
    public void ExactMatchAddsEmbedding()
    {
        var weights = BertInitializer.Create(Small with { ExactMatch = true }, seed: 1);
        Assert.True(weights[BertParameters.ExactMatchEmbeddings].HasShape(2, 32));
        Assert.Throws<SearchRerank.Core.DataFormatException>(() => BertParameters.Check(Small, weights, "x"));
    }
}
