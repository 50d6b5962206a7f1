using SearchRerank.Train.Modeling;
using SearchRerank.Train.Tests.Model;

namespace SearchRerank.Train.Tests.Modeling;

/// <summary>Models and batches shared by the libtorch tests.</summary>
internal static class TinyModels
{
    /// <summary>A very small BERT (fast to train in tests), optionally with the exact-match channel.</summary>
    public static BertConfig Small(bool exactMatch = false) => new()
    {
        VocabSize = 50,
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 32,
        ExactMatch = exactMatch,
    };

    /// <summary>The shared reference cross-encoder (../shared/reference/tiny-bert-ce) with its weights loaded.</summary>
    public static BertForSequenceClassification LoadReference()
    {
        var model = BertForSequenceClassification.Create(BertConfig.Read(ReferenceFiles.TinyConfig), seed: 1);
        model.LoadWeights(SafeTensors.Read(ReferenceFiles.TinyWeights), ReferenceFiles.TinyWeights);
        return model;
    }

    /// <summary>A model whose every logit equals <paramref name="logit"/>: zero classifier weight, bias = logit.</summary>
    public static BertForSequenceClassification Constant(float logit)
    {
        var model = BertForSequenceClassification.Create(Small(), seed: 2);
        model.LoadWeight("classifier.weight", NamedTensor.Zeros(1, 16));
        model.LoadWeight("classifier.bias", new NamedTensor([1], [logit]));
        return model;
    }

    /// <summary>Replaces the classifier weight so that logits differ clearly between inputs.</summary>
    public static void SharpenClassifier(BertForSequenceClassification model, Random random) =>
        model.LoadWeight("classifier.weight", new NamedTensor([1, 16], Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()));

    /// <summary>A random batch of <paramref name="rows"/> pairs of varied length (padded), ids below 50.</summary>
    public static EncodedBatch RandomBatch(Random random, int rows, int maxLength = 12)
    {
        var ids = new List<int[]>();
        var types = new List<int[]>();
        for (int r = 0; r < rows; r++)
        {
            int n = random.Next(4, maxLength + 1);
            int queryLength = random.Next(1, n - 2);
            var row = new int[n];
            var type = new int[n];
            row[0] = 1;
            for (int i = 1; i < n; i++)
            {
                row[i] = random.Next(3, 50);
                type[i] = i > queryLength + 1 ? 1 : 0;
            }
            row[queryLength + 1] = 2;
            row[n - 1] = 2;
            ids.Add(row);
            types.Add(type);
        }
        return EncodedBatch.Pad(ids, types);
    }
}
