using Microsoft.ML.OnnxRuntime;

namespace SearchRerank.Rerank.Onnx;

/// <summary>
/// The process-wide ONNX Runtime environment (<see cref="OrtEnv"/>), created once, before any session:
/// <list type="bullet">
/// <item>with a logging function: ORT would otherwise print to stderr itself, and a library must not write to the
/// console. Its messages (warning and above) are handed to <see cref="Logged"/>; the CLI prints them with <c>--verbose</c>;</item>
/// <item>with ORT's telemetry off (<c>ORT_DISABLE_TELEMETRY=1</c> unless the process was started with that variable set):
/// the Linux builds of ORT 1.30–1.31 otherwise start a telemetry client with the environment, which reads
/// /proc/self/cmdline, writes <c>$TMPDIR/.ses</c> and an event database under <c>~/.cache/Microsoft/DeveloperTools</c>
/// (1.30 also <c>/tmp/mat-debug-&lt;pid&gt;.log</c>), and queues uploads.</item>
/// </list>
/// An application that created the <see cref="OrtEnv"/> itself keeps its own settings: the existing environment is used.
/// </summary>
public static class OnnxRuntimeEnvironment
{
    private static readonly Lazy<OrtEnv> Shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    // Messages ORT logs on a thread that is capturing them (see Capture): the reason behind a failed provider append,
    // which ORT logs but leaves out of the exception it throws.
    [ThreadStatic]
    private static List<string>? captured;

    /// <summary>Raised on the logging thread for each ORT message at warning severity or above.</summary>
    public static event Action<OrtLoggingLevel, string>? Logged;

    /// <summary>The ONNX Runtime version of the loaded native library, e.g. "1.31.0".</summary>
    public static string Version => Instance.GetVersionString();

    /// <summary>The execution providers compiled into the loaded library (loadable or not), e.g. CUDAExecutionProvider.</summary>
    public static IReadOnlyList<string> AvailableProviders => Instance.GetAvailableProviders();

    internal static OrtEnv Instance => Shared.Value;

    /// <summary>
    /// Creates the environment described above if no <see cref="OrtEnv"/> exists yet. Call it before creating ONNX Runtime
    /// objects of your own (<see cref="SessionOptions"/>, <see cref="InferenceSession"/>, <see cref="OrtValue"/>), which
    /// would otherwise create ORT's default environment; <see cref="CrossEncoder.Load"/> calls it itself.
    /// </summary>
    public static void EnsureCreated() => _ = Shared.Value;

    /// <summary>
    /// Collects what ORT logs on this thread until disposed (ORT logs from the thread that calls it): the reason for a
    /// failed provider append, e.g. the CUDA library that did not load, which its exception leaves out.
    /// </summary>
    internal static LogCapture CaptureLog()
    {
        EnsureCreated();
        return new LogCapture();
    }

    /// <summary>Messages ORT logged on the creating thread while this capture was open (see <see cref="CaptureLog"/>).</summary>
    internal sealed class LogCapture : IDisposable
    {
        private readonly List<string>? outer = captured;
        private readonly List<string> messages = captured = [];

        public IReadOnlyList<string> Messages => messages;

        public void Dispose()
        {
            captured = outer;
            outer?.AddRange(messages);
        }
    }

    private static OrtEnv Create()
    {
        if (OrtEnv.IsCreated)
            return OrtEnv.Instance();
        // Read by the native library when the environment is created; there is no API to turn it off earlier.
        ProcessEnvironment.SetIfUnset("ORT_DISABLE_TELEMETRY", "1");
        var options = new EnvironmentCreationOptions
        {
            logId = "searchrerank",
            logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
            loggingFunction = Forward,
        };
        var env = OrtEnv.CreateInstanceWithOptions(ref options);
        env.DisableTelemetryEvents(); // the Windows builds' switch (ETW)
        return env;
    }

    private static void Forward(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        try
        {
            var text = message.TrimEnd(); // ORT ends some messages with blank lines
            captured?.Add(text);
            Logged?.Invoke(severity, text);
        }
        catch (Exception)
        {
            // Native code is on the stack: an exception must not unwind into it. A failing subscriber loses one line.
        }
    }
}
