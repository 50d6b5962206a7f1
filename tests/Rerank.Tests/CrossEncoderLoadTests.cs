using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using SearchRerank.Core;
using SearchRerank.Rerank.Onnx;
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Rerank.Tests;

/// <summary>Bad model directories fail with a message naming the file; odd but valid signatures are handled.</summary>
public sealed class CrossEncoderLoadTests
{
    private const int VocabSize = 30522;

    [Fact]
    public void ReferenceModelRunsOnTheCpuProviderOfTheOfficialPackages()
    {
        var notices = new List<CrossEncoderNotice>();
        using var encoder = CrossEncoder.Load(TestPaths.ReferenceModel,
            new CrossEncoderOptions { Threads = 1, Notices = new DirectProgress<CrossEncoderNotice>(notices.Add) });
        Assert.Equal("CPUExecutionProvider", encoder.ExecutionProvider);
        Assert.False(encoder.UsesCuda);
        Assert.False(encoder.UsesExactMatch);
        Assert.StartsWith("1.31.", OnnxRuntimeEnvironment.Version);
        Assert.Contains("CPUExecutionProvider", OnnxRuntimeEnvironment.AvailableProviders);
        var notice = Assert.Single(notices, n => n.Kind == CrossEncoderNoticeKind.ExecutionProvider);
        Assert.Contains("CPUExecutionProvider", notice.Message);
        Assert.Contains("ONNX Runtime 1.31.", notice.Message);
        // The reference folder's tokenizer_config.json records model_max_length 512, as Hugging Face writes it.
        Assert.Equal(512, encoder.MaxLength);
        var setting = Assert.Single(notices, n => n.Kind == CrossEncoderNoticeKind.Setting);
        Assert.Contains("max length 512 tokens, as", setting.Message);
        Assert.Contains("tokenizer_config.json", setting.Message);
        var model = Assert.Single(notices, n => n.Kind == CrossEncoderNoticeKind.Model);
        Assert.Equal("WordPiece tokenizer, pair template [CLS] $A [SEP] $B:1 [SEP]:1; inputs input_ids, attention_mask, token_type_ids; "
                     + "score = the raw logit (one label)", model.Message);
        Assert.Equal(3, notices.Count);
    }

    [Theory]
    [InlineData("{\"model_max_length\": 160}", null, 160, "max length 160 tokens, as")]
    [InlineData("{\"model_max_length\": 160}", 200, 200, "max length 200 tokens as asked, not the 160")]
    [InlineData("{\"do_lower_case\": true}", null, 256, "the default")]
    [InlineData("{\"model_max_length\": 1000000000000000019884624838656}", null, 256, "the default")]
    [InlineData("{\"model_max_length\": 4096}", null, 256, "the default")]
    public void MaxLengthComesFromTheOptionsThenTheFolderThenTheDefault(string tokenizerConfig, int? asked, int expected, string noticeText)
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer_config.json"), tokenizerConfig);
        File.Copy(Path.Combine(TestPaths.ReferenceModel, "onnx", "model.onnx"), Path.Combine(dir.Path, "model.onnx"));
        var notices = new List<CrossEncoderNotice>();
        using var encoder = CrossEncoder.Load(dir.Path,
            new CrossEncoderOptions { Threads = 1, MaxLength = asked, Notices = new DirectProgress<CrossEncoderNotice>(notices.Add) });
        Assert.Equal(expected, encoder.MaxLength);
        Assert.Contains(noticeText, Assert.Single(notices, n => n.Kind == CrossEncoderNoticeKind.Setting).Message);
        var encoding = encoder.Tokenizer.EncodePair("query", string.Join(' ', Enumerable.Repeat("protein", 2000)), encoder.MaxLength);
        Assert.Equal(expected, encoding.InputIds.Length);
    }

    [Fact]
    public void AnAskedLengthEqualToTheRecordedOneIsNotWorthANotice()
    {
        var notices = new List<CrossEncoderNotice>();
        using var encoder = CrossEncoder.Load(TestPaths.ReferenceModel,
            new CrossEncoderOptions { Threads = 1, MaxLength = 512, Notices = new DirectProgress<CrossEncoderNotice>(notices.Add) });
        Assert.DoesNotContain(notices, n => n.Kind == CrossEncoderNoticeKind.Setting);
    }

    [Fact]
    public void ARecordedLengthBelowFourIsAnErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        File.WriteAllText(Path.Combine(dir.Path, "tokenizer_config.json"), "{\"model_max_length\": 2}");
        File.Copy(Path.Combine(TestPaths.ReferenceModel, "onnx", "model.onnx"), Path.Combine(dir.Path, "model.onnx"));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.Contains("tokenizer_config.json", ex.Message);
        Assert.Contains("model_max_length", ex.Message);
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
    public void ModelThatOrtRejectsIsNamedWithOrtsReason()
    {
        // A well-formed file whose operator set ORT does not know: the file checks pass, ORT's loader refuses it.
        using var dir = new TempDirectory();
        TestPaths.CopyReferenceTokenizerAndConfig(dir.Path);
        var model = Path.Combine(dir.Path, "model.onnx");
        File.WriteAllBytes(model, TinyOnnx.SumModel("input_ids", new float[VocabSize], opset: 1000));
        var ex = Assert.Throws<InvalidDataException>(() => CrossEncoder.Load(dir.Path));
        Assert.StartsWith($"{model}: ONNX Runtime cannot load the model: ", ex.Message);
        Assert.Contains("opset", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<OnnxRuntimeException>(ex.InnerException);
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
    public void CudaFallsBackToCpuWithOneWarningNamingTheMissingLibrary()
    {
        var notices = new List<CrossEncoderNotice>();
        var ortMessages = new System.Collections.Concurrent.ConcurrentQueue<(OrtLoggingLevel, string)>();
        void Log(OrtLoggingLevel level, string message) => ortMessages.Enqueue((level, message));
        OnnxRuntimeEnvironment.Logged += Log;
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
            OnnxRuntimeEnvironment.Logged -= Log;
        }

        using var _ = encoder;
        Assert.False(encoder.UsesCuda);
        Assert.Equal("CPUExecutionProvider", encoder.ExecutionProvider);
        var fallback = Assert.Single(notices, n => n.Kind == CrossEncoderNoticeKind.DeviceFallback);
        if (OnnxRuntimeEnvironment.AvailableProviders.Contains("CUDAExecutionProvider"))
        {
            // The default package: no GPU here, so a CUDA library does not load. ORT's own log line about it reached
            // the managed sink instead of stderr, and the warning names the library.
            Assert.Contains(ortMessages, m => m.Item1 >= OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING && m.Item2.Contains("Failed to load library", StringComparison.Ordinal));
            Assert.Matches(@"^CUDA execution provider unavailable \(lib[\w.+-]+\.so[.\d]*: cannot open shared object file", fallback.Message);
        }
        else
        {
            Assert.StartsWith("CUDA execution provider unavailable (this ONNX Runtime library has no CUDA execution provider", fallback.Message);
        }
        Assert.EndsWith("running on the CPU (CPUExecutionProvider)", fallback.Message);
        var r = ReferenceScore.All[0];
        Assert.Equal(r.Logit, encoder.Predict([new PairEncoding(r.InputIds, r.TokenTypeIds, false)])[0], 1e-4);
    }

    [Fact]
    public void AutoFallsBackToCpuSilently()
    {
        var notices = new List<CrossEncoderNotice>();
        using var encoder = CrossEncoder.Load(TestPaths.ReferenceModel,
            new CrossEncoderOptions { Threads = 1, Device = ExecutionDevice.Auto, Notices = new DirectProgress<CrossEncoderNotice>(notices.Add) });
        Assert.Equal("CPUExecutionProvider", encoder.ExecutionProvider);
        Assert.DoesNotContain(notices, n => n.Kind == CrossEncoderNoticeKind.DeviceFallback);
        Assert.Single(notices, n => n.Kind == CrossEncoderNoticeKind.ExecutionProvider);
    }

    [Fact]
    public void StrictCudaFailsNamingTheMissingLibrary()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions { Threads = 1, Device = ExecutionDevice.CudaRequired }));
        Assert.Matches(@"^device cuda! requested but the CUDA execution provider is unavailable: (lib\S+\.so\S*: |this ONNX Runtime library has no CUDA)", ex.Message);
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
