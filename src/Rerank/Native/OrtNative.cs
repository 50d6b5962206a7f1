// SearchRerank — MIT licence.
using System.Runtime.InteropServices;

namespace SearchRerank.Rerank.Native;

/// <summary>
/// Every entry point of ONNX Runtime this project uses. ORT exports a single symbol, <c>OrtGetApiBase</c>; everything else
/// is a function pointer in the <c>OrtApi</c> table it hands out. The slot numbers below are the order of the members of
/// <c>struct OrtApi</c> in onnxruntime_c_api.h: that ORDER is the ABI, ORT only ever appends to it, so the numbers must
/// never be changed — keep in sync with the header when adding a function.
/// </summary>
internal static unsafe class OrtNative
{
    /// <summary>The soname the build copies next to the binaries (see SearchRerank.Rerank.csproj).</summary>
    internal const string LibraryFileName = "libonnxruntime.so.1";

    /// <summary>
    /// The API version asked of GetApi. Every slot used here exists since version 1, and GetApi serves any version up to the
    /// library's own (24 for 1.24, 30 for 1.30), so asking for the oldest keeps the binding usable with any 1.x library.
    /// </summary>
    private const uint ApiVersion = 1;

    // OrtApi slots (index = position of the member in struct OrtApi).
    private const int SlotGetErrorCode = 1;
    private const int SlotGetErrorMessage = 2;
    private const int SlotCreateEnvWithCustomLogger = 4;
    private const int SlotCreateSession = 7;
    private const int SlotRun = 9;
    private const int SlotCreateSessionOptions = 10;
    private const int SlotSetSessionGraphOptimizationLevel = 23;
    private const int SlotSetIntraOpNumThreads = 24;
    private const int SlotSetInterOpNumThreads = 25;
    private const int SlotSessionGetInputCount = 30;
    private const int SlotSessionGetOutputCount = 31;
    private const int SlotSessionGetInputTypeInfo = 33;
    private const int SlotSessionGetOutputTypeInfo = 34;
    private const int SlotSessionGetInputName = 36;
    private const int SlotSessionGetOutputName = 37;
    private const int SlotCreateTensorWithDataAsOrtValue = 49;
    private const int SlotGetTensorMutableData = 51;
    private const int SlotCastTypeInfoToTensorInfo = 55;
    private const int SlotGetTensorElementType = 60;
    private const int SlotGetDimensionsCount = 61;
    private const int SlotGetDimensions = 62;
    private const int SlotGetTensorTypeAndShape = 65;
    private const int SlotCreateCpuMemoryInfo = 69;
    private const int SlotAllocatorFree = 76;
    private const int SlotGetAllocatorWithDefaultOptions = 78;
    private const int SlotReleaseEnv = 92;
    private const int SlotReleaseStatus = 93;
    private const int SlotReleaseMemoryInfo = 94;
    private const int SlotReleaseSession = 95;
    private const int SlotReleaseValue = 96;
    private const int SlotReleaseTypeInfo = 98;
    private const int SlotReleaseTensorTypeAndShapeInfo = 99;
    private const int SlotReleaseSessionOptions = 100;

    private static readonly Lazy<Api> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private sealed class Api(IntPtr library, IntPtr* table, string version, string path)
    {
        public readonly IntPtr Library = library;
        public readonly IntPtr* Table = table;
        public readonly string Version = version;
        public readonly string Path = path;
    }

    private static IntPtr* Table => Loaded.Value.Table;

    /// <summary>The version string the loaded library reports, e.g. "1.30.0".</summary>
    internal static string Version => Loaded.Value.Version;

    /// <summary>Where the library was loaded from.</summary>
    internal static string LibraryPath => Loaded.Value.Path;

    private static Api Load()
    {
        // The app directory first, so the checksum-verified copy wins over anything on the loader path.
        var local = System.IO.Path.Combine(AppContext.BaseDirectory, LibraryFileName);
        IntPtr library;
        string path;
        if (File.Exists(local))
        {
            library = NativeLibrary.Load(local);
            path = local;
        }
        else if (NativeLibrary.TryLoad(LibraryFileName, out library))
        {
            path = LibraryFileName;
        }
        else
        {
            throw new OrtException(OrtErrorCode.NoSuchFile,
                $"{local}: not found, and {LibraryFileName} is not on the loader path (run scripts/setup.sh, which fetches ONNX Runtime 1.30.0)");
        }

        var getApiBase = (delegate* unmanaged<IntPtr*>)NativeLibrary.GetExport(library, "OrtGetApiBase");
        var apiBase = getApiBase();
        var getApi = (delegate* unmanaged<uint, IntPtr*>)apiBase[0];
        var getVersionString = (delegate* unmanaged<IntPtr>)apiBase[1];
        var version = Marshal.PtrToStringUTF8(getVersionString()) ?? "unknown";
        var table = getApi(ApiVersion);
        if (table == null)
            throw new OrtException(OrtErrorCode.Fail, $"{path}: ONNX Runtime {version} does not offer C API version {ApiVersion}");
        return new Api(library, table, version, path);
    }

    private static IntPtr Slot(int index) => Table[index];

    // ---- status -------------------------------------------------------------------------------------------------

    internal static OrtErrorCode GetErrorCode(IntPtr status) =>
        (OrtErrorCode)((delegate* unmanaged<IntPtr, int>)Slot(SlotGetErrorCode))(status);

    internal static string GetErrorMessage(IntPtr status) =>
        Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)Slot(SlotGetErrorMessage))(status)) ?? "";

    internal static void ReleaseStatus(IntPtr status) => ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseStatus))(status);

    // ---- environment ----------------------------------------------------------------------------------------------

    internal static OrtEnvHandle CreateEnv(OrtLoggingLevel level, string logId)
    {
        var handle = new OrtEnvHandle();
        var id = Marshal.StringToCoTaskMemUTF8(logId);
        try
        {
            IntPtr env;
            delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr, IntPtr, IntPtr, IntPtr, void> logger = &OrtLog.Forward;
            OrtStatus.Check(((delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr*, IntPtr>)Slot(SlotCreateEnvWithCustomLogger))(
                (IntPtr)logger, IntPtr.Zero, (int)level, id, &env));
            handle.Attach(env);
            return handle;
        }
        finally
        {
            Marshal.FreeCoTaskMem(id);
        }
    }

    internal static void ReleaseEnv(IntPtr env) => ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseEnv))(env);

    // ---- session options ------------------------------------------------------------------------------------------

    internal static OrtSessionOptionsHandle CreateSessionOptions()
    {
        var handle = new OrtSessionOptionsHandle();
        IntPtr options;
        OrtStatus.Check(((delegate* unmanaged<IntPtr*, IntPtr>)Slot(SlotCreateSessionOptions))(&options));
        handle.Attach(options);
        return handle;
    }

    internal static void SetGraphOptimizationLevel(OrtSessionOptionsHandle options, int level)
    {
        using var use = new HandleUse(options);
        OrtStatus.Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Slot(SlotSetSessionGraphOptimizationLevel))(use.Pointer, level));
    }

    internal static void SetIntraOpNumThreads(OrtSessionOptionsHandle options, int threads)
    {
        using var use = new HandleUse(options);
        OrtStatus.Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Slot(SlotSetIntraOpNumThreads))(use.Pointer, threads));
    }

    internal static void SetInterOpNumThreads(OrtSessionOptionsHandle options, int threads)
    {
        using var use = new HandleUse(options);
        OrtStatus.Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Slot(SlotSetInterOpNumThreads))(use.Pointer, threads));
    }

    /// <summary>
    /// Appends the CUDA execution provider through the legacy exported entry point, which loads
    /// libonnxruntime_providers_cuda.so on demand and reports a status when it (or CUDA itself) is missing.
    /// </summary>
    internal static void AppendCudaProvider(OrtSessionOptionsHandle options, int deviceId)
    {
        var export = NativeLibrary.GetExport(Loaded.Value.Library, "OrtSessionOptionsAppendExecutionProvider_CUDA");
        using var use = new HandleUse(options);
        OrtStatus.Check(((delegate* unmanaged<IntPtr, int, IntPtr>)export)(use.Pointer, deviceId));
    }

    internal static void ReleaseSessionOptions(IntPtr options) =>
        ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseSessionOptions))(options);

    // ---- session ----------------------------------------------------------------------------------------------------

    internal static OrtSessionHandle CreateSession(OrtEnvHandle env, string modelPath, OrtSessionOptionsHandle options)
    {
        var handle = new OrtSessionHandle();
        var path = Marshal.StringToCoTaskMemUTF8(modelPath);
        try
        {
            using var useEnv = new HandleUse(env);
            using var useOptions = new HandleUse(options);
            IntPtr session;
            OrtStatus.Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr*, IntPtr>)Slot(SlotCreateSession))(
                useEnv.Pointer, path, useOptions.Pointer, &session));
            handle.Attach(session);
            return handle;
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }
    }

    internal static void ReleaseSession(IntPtr session) => ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseSession))(session);

    /// <summary>Names, element types and shapes of the session's inputs (or outputs); -1 marks a dynamic axis.</summary>
    internal static OrtTensorInfo[] GetIo(OrtSessionHandle session, bool inputs)
    {
        using var use = new HandleUse(session);
        var countFn = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)Slot(inputs ? SlotSessionGetInputCount : SlotSessionGetOutputCount);
        var nameFn = (delegate* unmanaged<IntPtr, nuint, IntPtr, IntPtr*, IntPtr>)Slot(inputs ? SlotSessionGetInputName : SlotSessionGetOutputName);
        var typeFn = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)Slot(inputs ? SlotSessionGetInputTypeInfo : SlotSessionGetOutputTypeInfo);
        nuint count;
        OrtStatus.Check(countFn(use.Pointer, &count));
        IntPtr allocator;
        OrtStatus.Check(((delegate* unmanaged<IntPtr*, IntPtr>)Slot(SlotGetAllocatorWithDefaultOptions))(&allocator));
        var result = new OrtTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            IntPtr namePtr;
            OrtStatus.Check(nameFn(use.Pointer, i, allocator, &namePtr));
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8(namePtr) ?? "";
            }
            finally
            {
                OrtStatus.Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Slot(SlotAllocatorFree))(allocator, namePtr));
            }

            IntPtr typeInfo;
            OrtStatus.Check(typeFn(use.Pointer, i, &typeInfo));
            try
            {
                IntPtr tensorInfo; // owned by typeInfo
                OrtStatus.Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Slot(SlotCastTypeInfoToTensorInfo))(typeInfo, &tensorInfo));
                result[(int)i] = tensorInfo == IntPtr.Zero
                    ? new OrtTensorInfo(name, OrtElementType.Undefined, [])
                    : new OrtTensorInfo(name, GetElementType(tensorInfo), GetShape(tensorInfo));
            }
            finally
            {
                ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseTypeInfo))(typeInfo);
            }
        }

        return result;
    }

    private static OrtElementType GetElementType(IntPtr tensorInfo)
    {
        int type;
        OrtStatus.Check(((delegate* unmanaged<IntPtr, int*, IntPtr>)Slot(SlotGetTensorElementType))(tensorInfo, &type));
        return (OrtElementType)type;
    }

    private static long[] GetShape(IntPtr tensorInfo)
    {
        nuint rank;
        OrtStatus.Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Slot(SlotGetDimensionsCount))(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* p = dims)
            OrtStatus.Check(((delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)Slot(SlotGetDimensions))(tensorInfo, p, rank));
        return dims;
    }

    /// <summary>
    /// Runs the session. ORT allows concurrent Run calls on one session. The returned values are owned by the caller.
    /// </summary>
    internal static OrtValueHandle[] Run(OrtSessionHandle session, IReadOnlyList<string> inputNames, IReadOnlyList<OrtValueHandle> inputs,
        IReadOnlyList<string> outputNames)
    {
        if (inputNames.Count != inputs.Count)
            throw new ArgumentException($"{inputNames.Count} input names for {inputs.Count} input values");
        var names = new IntPtr[inputNames.Count + outputNames.Count];
        var values = new IntPtr[inputs.Count];
        var outputs = new IntPtr[outputNames.Count];
        var refs = new bool[inputs.Count];
        using var useSession = new HandleUse(session);
        try
        {
            for (var i = 0; i < inputNames.Count; i++)
                names[i] = Marshal.StringToCoTaskMemUTF8(inputNames[i]);
            for (var i = 0; i < outputNames.Count; i++)
                names[inputNames.Count + i] = Marshal.StringToCoTaskMemUTF8(outputNames[i]);
            for (var i = 0; i < inputs.Count; i++)
            {
                inputs[i].DangerousAddRef(ref refs[i]);
                values[i] = inputs[i].DangerousGetHandle();
            }

            fixed (IntPtr* pNames = names)
            fixed (IntPtr* pValues = values)
            fixed (IntPtr* pOutputs = outputs)
            {
                OrtStatus.Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)Slot(SlotRun))(
                    useSession.Pointer, IntPtr.Zero, pNames, pValues, (nuint)inputs.Count,
                    pNames + inputNames.Count, (nuint)outputNames.Count, pOutputs));
            }

            var result = new OrtValueHandle[outputs.Length];
            for (var i = 0; i < outputs.Length; i++)
            {
                result[i] = new OrtValueHandle();
                result[i].Attach(outputs[i]);
                outputs[i] = IntPtr.Zero;
            }

            return result;
        }
        finally
        {
            // Outputs still here were produced but not handed over (an exception above): release them.
            foreach (var output in outputs)
                if (output != IntPtr.Zero)
                    ReleaseValue(output);
            for (var i = 0; i < inputs.Count; i++)
                if (refs[i])
                    inputs[i].DangerousRelease();
            foreach (var name in names)
                Marshal.FreeCoTaskMem(name);
        }
    }

    // ---- memory info and values ----------------------------------------------------------------------------------

    internal static OrtMemoryInfoHandle CreateCpuMemoryInfo()
    {
        var handle = new OrtMemoryInfoHandle();
        IntPtr info;
        // OrtArenaAllocator = 1, OrtMemTypeDefault = 0: plain CPU memory, as the C++ API's CreateCpu does.
        OrtStatus.Check(((delegate* unmanaged<int, int, IntPtr*, IntPtr>)Slot(SlotCreateCpuMemoryInfo))(1, 0, &info));
        handle.Attach(info);
        return handle;
    }

    internal static void ReleaseMemoryInfo(IntPtr info) => ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseMemoryInfo))(info);

    /// <summary>
    /// Wraps <paramref name="data"/> as a tensor without copying: the array is pinned until the returned value is released,
    /// and ORT reads (and may write) it in place, so callers must not touch the array while the value is in use.
    /// </summary>
    internal static OrtValueHandle CreateTensor<T>(OrtMemoryInfoHandle memoryInfo, T[] data, long[] shape, OrtElementType elementType)
        where T : unmanaged
    {
        long count = 1;
        foreach (var d in shape)
            count *= d;
        if (count != data.LongLength)
            throw new ArgumentException($"tensor shape [{string.Join(",", shape)}] needs {count} elements, the buffer holds {data.LongLength}");

        var handle = new OrtValueHandle();
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        try
        {
            using var useInfo = new HandleUse(memoryInfo);
            IntPtr value;
            fixed (long* pShape = shape)
            {
                OrtStatus.Check(((delegate* unmanaged<IntPtr, IntPtr, nuint, long*, nuint, int, IntPtr*, IntPtr>)Slot(SlotCreateTensorWithDataAsOrtValue))(
                    useInfo.Pointer, pin.AddrOfPinnedObject(), (nuint)(data.LongLength * sizeof(T)), pShape, (nuint)shape.Length,
                    (int)elementType, &value));
            }

            handle.Attach(value, pin);
            return handle;
        }
        catch
        {
            pin.Free();
            throw;
        }
    }

    /// <summary>Copies a float tensor's data out and returns it with its shape.</summary>
    internal static float[] ReadFloatTensor(OrtValueHandle value, out long[] shape)
    {
        using var use = new HandleUse(value);
        IntPtr info;
        OrtStatus.Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Slot(SlotGetTensorTypeAndShape))(use.Pointer, &info));
        try
        {
            var type = GetElementType(info);
            if (type != OrtElementType.Float)
                throw new OrtException(OrtErrorCode.InvalidArgument, $"expected a float tensor, got {type}");
            shape = GetShape(info);
        }
        finally
        {
            ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseTensorTypeAndShapeInfo))(info);
        }

        long count = 1;
        foreach (var d in shape)
            count *= d;
        void* data;
        OrtStatus.Check(((delegate* unmanaged<IntPtr, void**, IntPtr>)Slot(SlotGetTensorMutableData))(use.Pointer, &data));
        return new ReadOnlySpan<float>(data, checked((int)count)).ToArray();
    }

    internal static void ReleaseValue(IntPtr value) => ((delegate* unmanaged<IntPtr, void>)Slot(SlotReleaseValue))(value);
}
