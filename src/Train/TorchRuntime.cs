using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchRerank.Train;

/// <summary>
/// The process-wide side of libtorch, in one place: loading TorchSharp's native library (with a one-line error instead
/// of TorchSharp's page-long trace), OpenMP's wait policy, the intra-op thread count, the random generator and the
/// device. Everything here affects the whole process.
/// </summary>
public static partial class TorchRuntime
{
    /// <summary>
    /// Set unless the environment already says otherwise. libgomp reads it once, when libtorch loads, so it is set
    /// here before the first torch call. ACTIVE (libgomp's default) spins waiting threads for a while; on a machine
    /// whose other cores are busy, a spinning thread holds a core its partner needs and two-thread steps became 5×
    /// slower. PASSIVE sleeps instead (docs/training.md, threads).
    /// </summary>
    public const string OmpWaitPolicy = "PASSIVE";

    private static readonly Lazy<bool> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads libtorch (once); throws <see cref="TrainingException"/> with the cause when it cannot.</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    /// <summary>Whether this libtorch build sees a CUDA device.</summary>
    public static bool CudaAvailable
    {
        get
        {
            EnsureLoaded();
            return torch.cuda.is_available();
        }
    }

    /// <summary>
    /// The device for <paramref name="device"/>: <see cref="TorchDevice.Auto"/> takes CUDA when available;
    /// <see cref="TorchDevice.Cuda"/> without a GPU is an error (callers that want a fallback ask for Auto).
    /// </summary>
    public static Device Resolve(TorchDevice device)
    {
        EnsureLoaded();
        return device switch
        {
            TorchDevice.Cpu => torch.CPU,
            TorchDevice.Auto => CudaAvailable ? torch.CUDA : torch.CPU,
            TorchDevice.Cuda when CudaAvailable => torch.CUDA,
            TorchDevice.Cuda => throw new TrainingException("device 'cuda' requested but libtorch sees no CUDA device (this is the CPU build of libtorch, or there is no GPU); use 'cpu', or 'auto' to fall back to the CPU"),
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "unknown device"),
        };
    }

    /// <summary>libtorch's intra-op thread count (at::set_num_threads, which sizes OpenMP's and MKL's pools).</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be >= 1");
        EnsureLoaded();
        torch.set_num_threads(threads);
    }

    public static int Threads
    {
        get
        {
            EnsureLoaded();
            return torch.get_num_threads();
        }
    }

    /// <summary>Seeds libtorch's default generators (CPU, and CUDA when present): dropout draws from them.</summary>
    public static void Seed(long seed)
    {
        EnsureLoaded();
        torch.random.manual_seed(seed);
    }

    /// <summary>The default CPU generator's state (the mt19937 state dropout continues from).</summary>
    public static byte[] RandomState()
    {
        EnsureLoaded();
        using var state = torch.random.get_rng_state();
        return state.data<byte>().ToArray();
    }

    public static void SetRandomState(byte[] state)
    {
        EnsureLoaded();
        using var tensor = torch.tensor(state, ScalarType.Byte);
        torch.random.set_rng_state(tensor);
    }

    private static bool Load()
    {
        if (!OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
            // .NET keeps its own copy of the environment; native code reads the C runtime's, so set that one.
            _ = SetEnvironment("OMP_WAIT_POLICY", OmpWaitPolicy, 0);
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            throw new TrainingException(
                "libtorch could not be loaded through TorchSharp (" + FirstLine(ex) + "). On Linux, `ldd -r` on the output folder's " +
                "runtimes/linux-x64/native/libLibTorchSharp.so names what is missing; a system libstdc++ without GLIBCXX_3.4.32 is fixed by " +
                "building on this machine, which writes a compatible copy (docs/training.md)", ex);
        }
        return true;
    }

    private static string FirstLine(Exception ex)
    {
        var inner = ex.InnerException ?? ex;
        string message = inner.Message;
        int end = message.IndexOfAny(['\n', '\r']);
        return end > 0 ? message[..end] : message;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
