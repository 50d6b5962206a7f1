using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SearchRerank.Rerank.Onnx;

/// <summary>
/// A cross-encoder graph loaded in ONNX Runtime: one <see cref="InferenceSession"/> per model, shared by every thread.
/// Its inputs (a subset of <see cref="KnownInputs"/>) are read from the session's metadata. Each <see cref="Run"/> fills
/// int64 buffers allocated once on the pinned heap and reused from batch to batch (one set per concurrent caller), wraps
/// them as <see cref="OrtValue"/>s without a copy, and lets ORT write the logits into a pre-allocated output buffer.
/// Dispose only after the last <see cref="Run"/> returned: disposing releases the session and those buffers.
/// </summary>
internal sealed class CrossEncoderSession : IDisposable
{
    public const string CpuProvider = "CPUExecutionProvider";
    public const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>The inputs a cross-encoder may take: ids, mask, token types and the exact-match channel, all int64 [batch, sequence].</summary>
    public static readonly IReadOnlyList<string> KnownInputs = ["input_ids", "attention_mask", "token_type_ids", "exact_match_ids"];

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly bool outputHasLabelAxis;
    private readonly int labels;
    private readonly ConcurrentBag<BatchBuffers> idle = [];

    private CrossEncoderSession(InferenceSession session, string modelPath, string executionProvider, int? configuredLabels)
    {
        this.session = session;
        ModelPath = modelPath;
        ExecutionProvider = executionProvider;
        inputNames = [.. session.InputNames];
        var (output, rank, labelCount) = CheckSignature(session, modelPath, configuredLabels);
        outputNames = [output];
        outputHasLabelAxis = rank == 2;
        labels = labelCount;
    }

    /// <summary>Logits per pair: 1, or 2 for a two-class export (<see cref="Run"/> returns them row by row).</summary>
    public int Labels => labels;

    public string ModelPath { get; }

    /// <summary>The execution provider the session runs on: <see cref="CudaProvider"/> or <see cref="CpuProvider"/>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>The model's inputs in session order, each one of <see cref="KnownInputs"/>.</summary>
    public IReadOnlyList<string> InputNames => inputNames;

    /// <summary>
    /// Loads <paramref name="modelPath"/> on <paramref name="device"/>. A CUDA provider that cannot be used (its library, a
    /// CUDA library or a GPU missing) is reported once through <paramref name="fallback"/> with ORT's reason, and the
    /// session runs on the CPU; <see cref="ExecutionDevice.CudaRequired"/> throws instead, and
    /// <see cref="ExecutionDevice.Auto"/> falls back without a report.
    /// </summary>
    /// <param name="threads">Threads inside one operator (0: one per physical core) and whether they spin between operators.</param>
    /// <exception cref="InvalidDataException">ORT cannot load the model, or it is not a cross-encoder; the message names the file.</exception>
    /// <exception cref="InvalidOperationException"><see cref="ExecutionDevice.CudaRequired"/> and CUDA is unavailable.</exception>
    /// <param name="configuredLabels">config.json's label count, which decides when the export leaves the label axis symbolic.</param>
    public static CrossEncoderSession Open(string modelPath, SessionThreads threads, ExecutionDevice device, Action<string>? fallback,
        int? configuredLabels = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads.IntraOp);
        OnnxRuntimeEnvironment.EnsureCreated(); // before any other ORT object
        if (device != ExecutionDevice.Cpu)
        {
            var (cuda, reason) = TryOpenOnCuda(modelPath, threads);
            if (cuda is not null)
                return Wrap(cuda, modelPath, CudaProvider, configuredLabels);
            // Only a model the CPU provider loads tells that CUDA, not the file, was the problem.
            var cpu = OpenOnCpu(modelPath, threads);
            if (device == ExecutionDevice.CudaRequired)
            {
                cpu.Dispose();
                throw new InvalidOperationException($"device cuda! requested but the CUDA execution provider is unavailable: {reason}");
            }

            if (device == ExecutionDevice.Cuda)
                fallback?.Invoke($"CUDA execution provider unavailable ({reason}); running on the CPU ({CpuProvider})");
            return Wrap(cpu, modelPath, CpuProvider, configuredLabels);
        }

        return Wrap(OpenOnCpu(modelPath, threads), modelPath, CpuProvider, configuredLabels);
    }

    /// <summary>
    /// Scores one padded batch of <paramref name="rows"/> × <paramref name="length"/> tokens. <paramref name="fill"/> is
    /// called once per input with the input's index in <see cref="InputNames"/> and a zeroed row-major buffer to write;
    /// positions it leaves untouched stay 0 ([PAD], masked, type 0, no exact match). Thread-safe.
    /// </summary>
    /// <returns><see cref="Labels"/> logits per row, in row order.</returns>
    public float[] Run(int rows, int length, SpanAction<long, int> fill)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var buffers = idle.TryTake(out var reused) ? reused : new BatchBuffers(inputNames.Length);
        var inputs = new OrtValue[inputNames.Length];
        OrtValue? output = null;
        try
        {
            var size = rows * length;
            buffers.EnsureCapacity(size, rows * labels);
            long[] shape = [rows, length];
            for (var k = 0; k < inputNames.Length; k++)
            {
                var memory = buffers.Inputs[k].AsMemory(0, size);
                memory.Span.Clear();
                fill(memory.Span, k);
                inputs[k] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, shape);
            }

            var logits = buffers.Logits.AsMemory(0, rows * labels);
            output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, logits, outputHasLabelAxis ? [rows, labels] : [rows]);
            try
            {
                session.Run(runOptions, inputNames, inputs, outputNames, [output]);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new InvalidDataException(
                    $"{ModelPath}: ONNX Runtime failed on a batch of {rows} × {length} tokens (output '{outputNames[0]}' must be {labels} logit(s) per pair): {ex.Message}", ex);
            }

            return logits.ToArray();
        }
        finally
        {
            foreach (var input in inputs)
                input?.Dispose();
            output?.Dispose();
            idle.Add(buffers);
        }
    }

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }

    private static CrossEncoderSession Wrap(InferenceSession session, string modelPath, string provider, int? configuredLabels)
    {
        try
        {
            return new CrossEncoderSession(session, modelPath, provider, configuredLabels);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static SessionOptions Options(SessionThreads threads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads.IntraOp,
            // A BERT graph is one chain of operators: nothing for inter-op threads to run in parallel.
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (!threads.SpinWait)
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private static InferenceSession OpenOnCpu(string modelPath, SessionThreads threads)
    {
        using var options = Options(threads);
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{modelPath}: ONNX Runtime cannot load the model: {ex.Message}", ex);
        }
    }

    /// <summary>The session on the CUDA provider, or null and why not (ORT's own words, first line).</summary>
    private static (InferenceSession? Session, string Reason) TryOpenOnCuda(string modelPath, SessionThreads threads)
    {
        using var options = Options(threads);
        using (var log = OnnxRuntimeEnvironment.CaptureLog())
        {
            try
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            catch (OnnxRuntimeException ex)
            {
                // ORT's exception says only "Failed to load shared library"; its log line names the library that did not load.
                return (null, LoadFailure(log.Messages) ?? FirstLine(ex.Message));
            }
            catch (EntryPointNotFoundException)
            {
                // The CPU-only package's library does not even export the CUDA entry point.
                return (null, "this ONNX Runtime library has no CUDA execution provider: the project was built with OnnxRuntimeBackend=cpu");
            }
        }

        try
        {
            return (new InferenceSession(modelPath, options), "");
        }
        catch (OnnxRuntimeException ex)
        {
            return (null, FirstLine(ex.Message));
        }
    }

    /// <summary>"libcublasLt.so.13: cannot open shared object file…" out of ORT's "Failed to load library X with error: …".</summary>
    private static string? LoadFailure(IReadOnlyList<string> messages)
    {
        const string marker = " with error: ";
        foreach (var message in messages)
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (message.Contains("Failed to load library", StringComparison.Ordinal) && at >= 0)
                return FirstLine(message[(at + marker.Length)..]).Trim();
        }

        return null;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n');
        return end < 0 ? message : message[..end];
    }

    /// <summary>
    /// Checks the model's inputs and outputs; returns the output holding the logits, its rank (1 or 2) and the labels per
    /// pair: [batch] or [batch, 1] is one, [batch, 2] two, a symbolic label axis what config.json says (else one).
    /// </summary>
    private static (string Output, int Rank, int Labels) CheckSignature(InferenceSession session, string modelPath, int? configuredLabels)
    {
        foreach (var (name, input) in session.InputMetadata)
        {
            if (!KnownInputs.Contains(name))
                throw new InvalidDataException(
                    $"{modelPath}: unexpected model input '{name}' (a cross-encoder takes {string.Join(", ", KnownInputs)})");
            if (!input.IsTensor || input.ElementDataType != TensorElementType.Int64 || input.Dimensions.Length != 2)
                throw new InvalidDataException($"{modelPath}: input {Describe(name, input)} must be int64 [batch, sequence]");
        }

        if (!session.InputMetadata.ContainsKey("input_ids"))
            throw new InvalidDataException($"{modelPath}: the model has no 'input_ids' input");
        var output = session.OutputNames.Contains("logits") ? "logits"
            : session.OutputNames.FirstOrDefault() ?? throw new InvalidDataException($"{modelPath}: the model has no output");
        var metadata = session.OutputMetadata[output];
        var dims = metadata.Dimensions;
        int labels = dims.Length == 1 ? 1 : dims.Length == 2 && dims[1] is 1 or 2 ? dims[1] : dims.Length == 2 && dims[1] < 0 ? configuredLabels ?? 1 : 0;
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float || labels is not (1 or 2))
            throw new InvalidDataException($"{modelPath}: output {Describe(output, metadata)} must be float [batch, 1] or [batch, 2] "
                + "(one relevance logit per pair, or two classes of which label 1 is relevant)");
        return (output, dims.Length, labels);
    }

    private static string Describe(string name, NodeMetadata metadata) =>
        metadata.IsTensor ? $"{name}: {metadata.ElementDataType}[{string.Join(",", metadata.Dimensions)}]" : $"{name}: {metadata.OnnxValueType}";

    /// <summary>One caller's input and output buffers, on the pinned object heap so ORT can read them in place.</summary>
    private sealed class BatchBuffers(int inputs)
    {
        public long[][] Inputs { get; } = Enumerable.Repeat(Array.Empty<long>(), inputs).ToArray();

        public float[] Logits { get; private set; } = [];

        public void EnsureCapacity(int tokens, int rows)
        {
            for (var k = 0; k < Inputs.Length; k++)
                if (Inputs[k].Length < tokens)
                    Inputs[k] = GC.AllocateUninitializedArray<long>(tokens, pinned: true);
            if (Logits.Length < rows)
                Logits = GC.AllocateUninitializedArray<float>(rows, pinned: true);
        }
    }
}
