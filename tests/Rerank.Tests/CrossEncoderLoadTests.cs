// SearchRerank — MIT licence.
using System.Text.Json.Nodes;
using SearchRerank.Rerank.Native;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Core;

namespace SearchRerank.Rerank.Tests;

/// <summary>Bad model directories fail with a message naming the file; odd but valid signatures are handled.</summary>
public sealed class CrossEncoderLoadTests
{
    private const int VocabSize = 30522;

    [Fact]
    public void ReferenceModelSignatureIsDiscovered()
    {
        using var session = OrtSession.Open(Path.Combine(TestPaths.ReferenceModel, "onnx", "model.onnx"), new OrtSessionSettings(IntraOpThreads: 1));
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.Inputs.Select(i => i.Name));
        Assert.All(session.Inputs, i => Assert.Equal(OrtElementType.Int64, i.ElementType));
        Assert.All(session.Inputs, i => Assert.Equal([-1L, -1L], i.Shape));
        var output = Assert.Single(session.Outputs);
        Assert.Equal("logits", output.Name);
        Assert.Equal([-1L, 1L], output.Shape);
        Assert.StartsWith("1.30", OrtSession.RuntimeVersion);
    }

    [Fact]
    public void MissingDirectoryIsNamed()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => CrossEncoder.Load("/nonexistent/model-dir"));
        Assert.Contains("/nonexistent/model-dir", ex.Message);
    }

    [Fact]
    public void MissingOnnxFileIsNamed()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        var ex = Assert.Throws<FileNotFoundException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("model.onnx", ex.Message);
        Assert.Contains(dir.Path, ex.Message);
    }

    [Fact]
    public void CorruptOnnxFileIsNamed()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        var model = Path.Combine(dir.Path, "model.onnx");
        File.WriteAllBytes(model, [0x08, 0x07, 0x3A, 0xFF, 0xFF, 0x7F, 0x01, 0x02]);
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains(model, ex.Message);
    }

    [Fact]
    public void TruncatedReferenceModelFailsInOrtWithItsErrorCode()
    {
        using var dir = new TempDirectory();
        var model = Path.Combine(dir.Path, "model.onnx");
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.ReferenceModel, "onnx", "model.onnx"));
        File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<OrtException>(() => OrtSession.Open(model));
        Assert.NotEqual(OrtErrorCode.Ok, ex.ErrorCode);
        Assert.Contains(model, ex.Message);
        Assert.StartsWith($"[ONNX Runtime {ex.ErrorCode}]", ex.Message);
    }

    [Fact]
    public void MissingConfigIsNamed()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        File.Delete(Path.Combine(dir.Path, "config.json"));
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.SumModel("input_ids", new float[VocabSize]));
        var ex = Assert.Throws<FileNotFoundException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("config.json", ex.Message);
    }

    [Fact]
    public void MalformedConfigIsNamedWithLine()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), "{\n  \"vocab_size\": 30522,\n  oops\n}");
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.SumModel("input_ids", new float[VocabSize]));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("config.json:3:", ex.Message);
    }

    [Fact]
    public void ConfigVocabSizeDisagreeingWithTokenizerIsNamed()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        var configPath = Path.Combine(dir.Path, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["vocab_size"] = 30000;
        File.WriteAllText(configPath, config.ToJsonString());
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.SumModel("input_ids", new float[VocabSize]));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("config.json: vocab_size 30000", ex.Message);
        Assert.Contains("30522 tokens", ex.Message);
    }

    [Fact]
    public void EmbeddingRowsDisagreeingWithTokenizerAreNamed()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        var model = Path.Combine(dir.Path, "model.onnx");
        File.WriteAllBytes(model, TinyOnnx.SumModel("input_ids", new float[1000]));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains($"{model}: the word embedding table has 1000 rows", ex.Message);
    }

    [Fact]
    public void UnexpectedInputNameIsNamed()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.SumModel("pixel_values", new float[VocabSize]));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("unexpected model input 'pixel_values'", ex.Message);
    }

    [Fact]
    public void UnreadableTokenizerIsNamed()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(TestPaths.ReferenceModel, "config.json"), Path.Combine(dir.Path, "config.json"));
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer.json"), "{ not json");
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.SumModel("input_ids", new float[VocabSize]));
        var ex = Assert.ThrowsAny<Exception>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("tokenizer", ex.Message);
        Assert.Contains(dir.Path, ex.Message);
    }

    [Fact]
    public void ExactMatchChannelIsComputedAndSupplied()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        // Word embeddings all zero, exact-match embedding [0, 1]: the "logit" is the number of exact-match flags.
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.SumModel("input_ids", new float[VocabSize], [0f, 1f]));
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { Threads = 1, BatchSize = 3 });
        Assert.True(encoder.UsesExactMatch);
        (string, string)[] pairs =
        [
            ("protein folding", "folding of a protein in the cell"),
            ("nothing shared", "completely different words here"),
            ("a a b", "b b b c"),
            ("cells", "cells cells cells"),
        ];
        var scores = encoder.Predict(pairs);
        for (var i = 0; i < pairs.Length; i++)
        {
            var encoding = encoder.Tokenizer.EncodePair(pairs[i].Item1, pairs[i].Item2, 256);
            Assert.Equal(ExactMatch.Flags(encoding, encoder.Tokenizer).Sum(), scores[i]);
        }

        Assert.Equal(0f, scores[1]);
        Assert.True(scores[0] >= 4f);
    }

    [Fact]
    public void TokenTypeIdsMayBeAbsent()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        var words = new float[VocabSize];
        words[101] = 1f; // [CLS]
        words[102] = 10f; // [SEP]
        File.WriteAllBytes(Path.Combine(dir.Path, "model.onnx"), TinyOnnx.SumModel("input_ids", words));
        using var encoder = CrossEncoder.Load(dir.Path, new CrossEncoderOptions { Threads = 1 });
        Assert.False(encoder.UsesExactMatch);
        // Padding (id 0, weight 0) adds nothing whatever the batch: [CLS] + 2 [SEP] = 21 for each pair.
        var scores = encoder.Predict([("a", "b"), ("a much longer query here", "and a longer document too")]);
        Assert.Equal([21f, 21f], scores);
    }

    [Fact]
    public void CudaFallsBackToCpuWithOneWarning()
    {
        var notices = new List<CrossEncoderNotice>();
        var ortMessages = new System.Collections.Concurrent.ConcurrentQueue<(OrtLoggingLevel, string)>();
        void Log(OrtLoggingLevel level, string message) => ortMessages.Enqueue((level, message));
        OrtLog.Logged += Log;
        CrossEncoder encoder;
        try
        {
            encoder = CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions
            {
                Threads = 1,
                Device = ExecutionDevice.Cuda,
                Notices = new DirectProgress<CrossEncoderNotice>(notices.Add),
            });
        }
        finally
        {
            OrtLog.Logged -= Log;
        }

        using var _ = encoder;
        Assert.False(encoder.UsesCuda);
        // ORT's own log line about the missing provider library reached the managed sink instead of stderr.
        Assert.Contains(ortMessages, m => m.Item1 >= OrtLoggingLevel.Warning && m.Item2.Contains("providers", StringComparison.Ordinal));
        var notice = Assert.Single(notices);
        Assert.Equal(CrossEncoderNoticeKind.DeviceFallback, notice.Kind);
        Assert.Contains("CUDA", notice.Message);
        var r = ReferenceScore.All[0];
        Assert.Equal(r.Logit, encoder.Predict([new PairEncoding(r.InputIds, r.TokenTypeIds, false)])[0], 1e-4);
    }

    [Fact]
    public void StrictCudaFails()
    {
        var ex = Assert.Throws<OrtException>(() =>
            CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions { Threads = 1, Device = ExecutionDevice.CudaRequired }));
        Assert.Contains("cuda!", ex.Message);
    }

    [Fact]
    public void MaxLengthBeyondPositionEmbeddingsIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions { MaxLength = 1024 }));
        Assert.Contains("max_position_embeddings 512", ex.Message);
    }

    [Theory]
    [InlineData(-1, 32, 1, 1)]
    [InlineData(1, 0, 1, 1)]
    [InlineData(1, 32, 0, 1)]
    [InlineData(1, 32, 1, 0)]
    public void InvalidOptionsAreRejected(int threads, int batchSize, int stride, int concurrentBatches)
    {
        var options = new CrossEncoderOptions { Threads = threads, BatchSize = batchSize, WindowStride = stride, ConcurrentBatches = concurrentBatches };
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossEncoder.Load(TestPaths.ReferenceModel, options));
    }
}
