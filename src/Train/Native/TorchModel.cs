// SearchRerank — a BERT cross-encoder held by the native training engine.
using System.Runtime.InteropServices;
using SearchRerank.Train.Model;

namespace SearchRerank.Train.Native;

/// <summary>
/// A Hugging Face <c>BertForSequenceClassification</c> (one label, plus the optional exact-match embedding) living in
/// libsrtrain. Weights move in and out by Hugging Face name as float32 (see <see cref="Parameters"/>); safetensors IO is
/// the caller's (<see cref="SafeTensors"/>). Dispose it after every <see cref="TorchTrainer"/> built on it.
/// Not thread-safe.
/// </summary>
public sealed unsafe class TorchModel : IDisposable
{
    private readonly ModelHandle _handle;

    private TorchModel(ModelHandle handle, BertConfig config)
    {
        _handle = handle;
        Config = config;
        Parameters = ReadParameters(handle);
        IsCuda = ReadIsCuda(handle);
    }

    public BertConfig Config { get; }

    /// <summary>Every parameter in the engine's fixed order, with Hugging Face names and shapes.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>True when the model runs on a CUDA device (also after <see cref="TorchDevice.Auto"/> picked it).</summary>
    public bool IsCuda { get; }

    internal ModelHandle Handle => _handle;

    /// <summary>
    /// Builds a model initialised like Hugging Face (N(0, 0.02) weights, zero biases and pad row, LayerNorm 1/0)
    /// after seeding libtorch's process-wide generator with <paramref name="seed"/> (dropout draws from it too).
    /// </summary>
    public static TorchModel Create(BertConfig config, ulong seed, TorchDevice device = TorchDevice.Cpu)
    {
        ArgumentNullException.ThrowIfNull(config);
        var native = new SrtNative.Config
        {
            VocabSize = config.VocabSize,
            HiddenSize = config.HiddenSize,
            NumHiddenLayers = config.NumHiddenLayers,
            NumAttentionHeads = config.NumAttentionHeads,
            IntermediateSize = config.IntermediateSize,
            MaxPositionEmbeddings = config.MaxPositionEmbeddings,
            TypeVocabSize = config.TypeVocabSize,
            PadTokenId = config.PadTokenId,
            LayerNormEps = config.LayerNormEps,
            HiddenDropoutProb = config.HiddenDropoutProb,
            AttentionProbsDropoutProb = config.AttentionProbsDropoutProb,
            ExactMatch = config.ExactMatch ? 1 : 0,
        };
        string deviceName = device switch
        {
            TorchDevice.Cpu => "cpu",
            TorchDevice.Cuda => "cuda",
            TorchDevice.Auto => "auto",
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "unknown device"),
        };
        SrtStatus.Check(SrtNative.ModelCreate(native, seed, deviceName, out var handle));
        return new TorchModel(handle, config);
    }

    /// <summary>Sets libtorch's intra-op thread count for the whole process.</summary>
    public static void SetThreadCount(int threads) => SrtStatus.Check(SrtNative.SetNumThreads(threads));

    /// <summary>Whether this libtorch build sees a CUDA device.</summary>
    public static bool CudaAvailable
    {
        get
        {
            SrtStatus.Check(SrtNative.CudaAvailable(out int available));
            return available != 0;
        }
    }

    public float[] GetParameter(string name)
    {
        var info = Find(name);
        var data = new float[info.ElementCount];
        fixed (float* p = data)
            SrtStatus.Check(SrtNative.ModelGetParameter(_handle, name, p, data.Length));
        return data;
    }

    /// <summary>Copies <paramref name="data"/> (row-major, the parameter's element count) into the named parameter.</summary>
    public void SetParameter(string name, ReadOnlySpan<float> data)
    {
        fixed (float* p = data)
            SrtStatus.Check(SrtNative.ModelSetParameter(_handle, name, p, data.Length));
    }

    /// <summary>Gets every parameter as a tensor keyed by name (for <see cref="SafeTensors"/>).</summary>
    public Dictionary<string, NamedTensor> GetParameters()
    {
        var result = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var info in Parameters)
            result[info.Name] = new NamedTensor((long[])info.Shape.Clone(), GetParameter(info.Name));
        return result;
    }

    /// <summary>
    /// Loads every parameter from <paramref name="tensors"/> (e.g. read by <see cref="SafeTensors"/>); names and shapes
    /// must match exactly, and every model parameter must be present. <paramref name="source"/> names the origin in errors.
    /// </summary>
    public void SetParameters(IReadOnlyDictionary<string, NamedTensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var info in Parameters)
        {
            if (!tensors.TryGetValue(info.Name, out var tensor))
                throw new InvalidDataException($"{source}: missing tensor {info.Name} {Shape(info.Shape)}");
            if (!tensor.Shape.SequenceEqual(info.Shape))
                throw new InvalidDataException($"{source}: tensor {info.Name} has shape {Shape(tensor.Shape)}, model expects {Shape(info.Shape)}");
            SetParameter(info.Name, tensor.Data);
        }
        var known = Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var extra = tensors.Keys.Where(k => !known.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            throw new InvalidDataException($"{source}: tensors the model does not have: {string.Join(", ", extra)}");
    }

    /// <summary>Scores a batch in eval mode without autograd; one logit per row.</summary>
    public float[] Forward(EncodedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var logits = new float[batch.Size];
        fixed (int* ids = batch.InputIds)
        fixed (int* types = batch.TokenTypeIds)
        fixed (int* mask = batch.AttentionMask)
        fixed (int* exact = batch.ExactMatchIds)
        fixed (float* output = logits)
        {
            var native = NativeBatch(batch, ids, types, mask, exact);
            SrtStatus.Check(SrtNative.ModelForward(_handle, native, output));
        }
        return logits;
    }

    public void Dispose() => _handle.Dispose();

    internal static SrtNative.Batch NativeBatch(EncodedBatch batch, int* ids, int* types, int* mask, int* exact) => new()
    {
        InputIds = ids,
        TokenTypeIds = types,
        AttentionMask = mask,
        ExactMatchIds = exact,
        BatchSize = batch.Size,
        Sequence = batch.SequenceLength,
    };

    private ParameterInfo Find(string name)
    {
        foreach (var info in Parameters)
            if (info.Name == name)
                return info;
        throw new ArgumentException($"TorchModel: no parameter named '{name}'", nameof(name));
    }

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static List<ParameterInfo> ReadParameters(ModelHandle handle)
    {
        SrtStatus.Check(SrtNative.ModelParameterCount(handle, out long count));
        var result = new List<ParameterInfo>((int)count);
        long* shape = stackalloc long[8];
        for (long i = 0; i < count; i++)
        {
            SrtStatus.Check(SrtNative.ModelParameterName(handle, i, out IntPtr namePtr));
            string name = Marshal.PtrToStringUTF8(namePtr)!;
            SrtStatus.Check(SrtNative.ModelParameterShape(handle, name, shape, 8, out int rank));
            result.Add(new ParameterInfo(name, new ReadOnlySpan<long>(shape, rank).ToArray()));
        }
        return result;
    }

    private static bool ReadIsCuda(ModelHandle handle)
    {
        SrtStatus.Check(SrtNative.ModelIsCuda(handle, out int isCuda));
        return isCuda != 0;
    }
}
