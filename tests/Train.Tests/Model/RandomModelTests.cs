using SearchRerank.Train.Modeling;

namespace SearchRerank.Train.Tests.Model;

public class RandomModelTests
{
    [Fact]
    public void WritesCompleteDirectoryWithVocabularySize()
    {
        using var dir = new TempDirectory();
        string vocab = dir.File("vocab.txt");
        File.WriteAllLines(vocab, ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "hello", "world"]);
        string output = Path.Combine(dir.Path, "model");

        var config = RandomModel.Create(output, new BertConfig { HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 16, ExactMatch = true }, vocab, seed: 5);

        Assert.Equal(6, config.VocabSize);
        Assert.Equal(3, config.PadTokenId);
        Assert.Equal(["config.json", "model.onnx", "model.safetensors", "vocab.txt"], Directory.GetFiles(output).Select(Path.GetFileName).Order());
        Assert.Equal(config.ToJson(), BertConfig.Read(Path.Combine(output, "config.json")).ToJson());
        var weights = SafeTensors.Read(Path.Combine(output, "model.safetensors"));
        BertParameters.Check(config, weights, "written");
        Assert.Equal(BertInitializer.Create(config, 5)["classifier.weight"].Data, weights["classifier.weight"].Data);
    }

    [Fact]
    public void MissingVocabularyIsAnError()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => RandomModel.Create(dir.File("m"), new BertConfig(), dir.File("nope.txt"), 1));
        Assert.Contains("nope.txt", ex.Message);
        Assert.False(Directory.Exists(dir.File("m")));
    }
}
