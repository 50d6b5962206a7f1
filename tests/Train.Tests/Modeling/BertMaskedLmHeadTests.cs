using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchRerank.Train.Tests.Modeling;

[Collection(TorchCollection.Name)]
public sealed class BertMaskedLmHeadTests
{
    private const string WordEmbeddings = "bert.embeddings.word_embeddings.weight";

    [Fact]
    public void HeadHasTheHuggingFaceNamesAndItsDecoderIsTheWordEmbeddingTensor()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(exactMatch: true), seed: 3);
        using var head = new BertMaskedLmHead(model, seed: 4);
        Assert.Equal(
            ["cls.predictions.bias", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.dense.bias", "cls.predictions.transform.dense.weight"],
            head.OwnParameters.Select(p => p.Name).Order(StringComparer.Ordinal));
        // One tensor, not a copy: writing through the decoder changes the model's embedding table.
        using (torch.no_grad())
            head.DecoderWeight[7, 5] = torch.tensor(42f);
        Assert.Equal(42f, model.Weights()[WordEmbeddings].Data[7 * 16 + 5]);
        Assert.DoesNotContain(model.Weights().Keys, k => k.StartsWith("cls.", StringComparison.Ordinal));
    }

    [Fact]
    public void AGradientStepThroughTheDecoderMovesTheWordEmbeddingsAndTheDecoderAlike()
    {
        using var model = BertForSequenceClassification.Create(TinyModels.Small(), seed: 3);
        using var head = new BertMaskedLmHead(model, seed: 4);
        var before = model.Weights()[WordEmbeddings].Data;
        using var optimizer = new CrossEncoderOptimizer(model, new OptimizerSettings { LearningRate = 1e-2, WeightDecay = 0, TotalSteps = 10 }, head.OwnParameters);

        // Inputs use ids 1..9 only and nothing decays: row 40 of the table can only move through the decoder.
        var batch = EncodedBatch.Pad([[1, 3, 4, 5, 6, 2], [1, 7, 8, 9, 2]], [new int[6], new int[5]]);
        using (var scope = torch.NewDisposeScope())
        {
            using var inputs = BertInputs.From(batch, model.Config, model.Device);
            var hidden = model.Sequence(inputs).view(-1, 16).index_select(0, torch.tensor(new long[] { 2, 8 }));
            var loss = nn.functional.cross_entropy(head.call(hidden), torch.tensor(new long[] { 40, 40 }));
            optimizer.Backward(loss);
        }

        var after = model.Weights()[WordEmbeddings].Data;
        using var decoder = head.DecoderWeight.detach().cpu().contiguous();
        Assert.Equal(after, decoder.data<float>().ToArray());
        Assert.NotEqual(before.AsSpan(40 * 16, 16).ToArray(), after.AsSpan(40 * 16, 16).ToArray());
        foreach (var (name, parameter) in head.OwnParameters.Where(p => p.Name.EndsWith("dense.weight", StringComparison.Ordinal) || p.Name == "cls.predictions.bias"))
        {
            using var norm = parameter.grad!.norm();
            Assert.True(norm.item<float>() > 0, name);
        }
    }
}
