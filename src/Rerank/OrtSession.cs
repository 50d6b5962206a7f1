// SearchRerank — MIT licence.
using SearchRerank.Rerank.Native;

namespace SearchRerank.Rerank;

/// <summary>
/// An ONNX Runtime inference session for one model file. Inputs and outputs are discovered from the model.
/// <see cref="Run"/> may be called from many threads at once (ORT's Run is thread-safe); <see cref="Dispose"/> releases
/// the session, its options and its memory description, and waits for no one: dispose only after the last Run returned.
/// </summary>
public sealed class OrtSession : IDisposable
{
    private readonly OrtSessionHandle session;
    private readonly OrtMemoryInfoHandle cpuMemory;

    private OrtSession(string modelPath, OrtSessionHandle session, OrtMemoryInfoHandle cpuMemory, bool usesCuda)
    {
        ModelPath = modelPath;
        this.session = session;
        this.cpuMemory = cpuMemory;
        UsesCuda = usesCuda;
        Inputs = OrtNative.GetIo(session, inputs: true);
        Outputs = OrtNative.GetIo(session, inputs: false);
    }

    public string ModelPath { get; }

    public IReadOnlyList<OrtTensorInfo> Inputs { get; }

    public IReadOnlyList<OrtTensorInfo> Outputs { get; }

    /// <summary>True when the CUDA execution provider was appended; false on CPU (asked for, or after a fallback).</summary>
    public bool UsesCuda { get; }

    /// <summary>The ONNX Runtime version of the loaded library, e.g. "1.30.0".</summary>
    public static string RuntimeVersion => OrtNative.Version;

    /// <summary>
    /// Loads <paramref name="modelPath"/>. With <see cref="ExecutionDevice.Cuda"/>, a missing CUDA provider is reported once
    /// through <paramref name="warnings"/> and the session runs on CPU; with <see cref="ExecutionDevice.CudaRequired"/> it throws.
    /// </summary>
    /// <exception cref="OrtException">The file is missing or not a model ORT can load; the message names the file.</exception>
    public static OrtSession Open(string modelPath, OrtSessionSettings? settings = null, IProgress<string>? warnings = null)
    {
        settings ??= new OrtSessionSettings();
        if (settings.IntraOpThreads < 0 || settings.InterOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings, "thread counts must be >= 0 (0 = ORT default)");
        if (!File.Exists(modelPath))
            throw new OrtException(OrtErrorCode.NoSuchFile, $"{modelPath}: model file not found");

        var env = OrtEnvironment.Handle;
        using var options = OrtNative.CreateSessionOptions();
        OrtNative.SetIntraOpNumThreads(options, settings.IntraOpThreads);
        OrtNative.SetInterOpNumThreads(options, settings.InterOpThreads);
        OrtNative.SetGraphOptimizationLevel(options, settings.OptimizationLevel);
        var usesCuda = settings.Device != ExecutionDevice.Cpu && TryAppendCuda(options, settings.Device, warnings);

        OrtSessionHandle handle;
        try
        {
            handle = OrtNative.CreateSession(env, modelPath, options);
        }
        catch (OrtException ex)
        {
            throw new OrtException(ex.ErrorCode, $"{modelPath}: ONNX Runtime cannot load the model: {ex.NativeMessage}");
        }

        OrtMemoryInfoHandle? memory = null;
        try
        {
            memory = OrtNative.CreateCpuMemoryInfo();
            return new OrtSession(modelPath, handle, memory, usesCuda);
        }
        catch
        {
            memory?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    private static bool TryAppendCuda(OrtSessionOptionsHandle options, ExecutionDevice device, IProgress<string>? warnings)
    {
        try
        {
            OrtNative.AppendCudaProvider(options, deviceId: 0);
            return true;
        }
        catch (OrtException ex) when (device == ExecutionDevice.Cuda)
        {
            warnings?.Report($"CUDA execution provider unavailable, running on CPU: {FirstLine(ex.NativeMessage)}");
            return false;
        }
        catch (OrtException ex)
        {
            throw new OrtException(ex.ErrorCode, $"device cuda! requested but the CUDA execution provider is unavailable: {FirstLine(ex.NativeMessage)}");
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return end < 0 ? message : message[..end];
    }

    /// <summary>An int64 tensor over <paramref name="data"/> (no copy; see <see cref="OrtTensor"/>).</summary>
    public OrtTensor CreateTensor(long[] data, long[] shape) =>
        new(OrtNative.CreateTensor(cpuMemory, data, shape, OrtElementType.Int64), shape, OrtElementType.Int64);

    /// <summary>A float tensor over <paramref name="data"/> (no copy; see <see cref="OrtTensor"/>).</summary>
    public OrtTensor CreateTensor(float[] data, long[] shape) =>
        new(OrtNative.CreateTensor(cpuMemory, data, shape, OrtElementType.Float), shape, OrtElementType.Float);

    /// <summary>Runs the model on the named inputs and returns the float output <paramref name="outputName"/>.</summary>
    public FloatTensor Run(IReadOnlyList<string> inputNames, IReadOnlyList<OrtTensor> inputs, string outputName)
    {
        var values = new OrtValueHandle[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
            values[i] = inputs[i].Handle;
        var outputs = OrtNative.Run(session, inputNames, values, [outputName]);
        try
        {
            var data = OrtNative.ReadFloatTensor(outputs[0], out var shape);
            return new FloatTensor(data, shape);
        }
        finally
        {
            foreach (var output in outputs)
                output.Dispose();
        }
    }

    public void Dispose()
    {
        session.Dispose();
        cpuMemory.Dispose();
    }
}
