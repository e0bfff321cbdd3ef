using System.Runtime.InteropServices;
using Router.Abstractions;

namespace Router.Models.Onnx;

/// <summary>
/// The ONNX Runtime C API function table (API version 30), loaded from the native library
/// with <see cref="NativeLibrary"/> because Microsoft.ML.OnnxRuntime does not restore here.
/// Slot numbers are 0-based indices into <c>OrtApi</c>; the table only grows at its end, so
/// they hold for every later runtime (see shared/reference/models.md).
/// </summary>
internal sealed unsafe class OrtApi
{
    public const uint ApiVersion = 30;

    private readonly nint* _table;

    private OrtApi(nint library, nint* table, string version)
    {
        Library = library;
        _table = table;
        Version = version;
    }

    public nint Library { get; }
    public string Version { get; }

    private static readonly object Gate = new();
    private static OrtApi? _instance;

    /// <summary>Loads the library once per process; later calls with another path get the first one.</summary>
    public static OrtApi Load(string libraryPath)
    {
        lock (Gate)
        {
            if (_instance != null) return _instance;
            if (!File.Exists(libraryPath))
                throw new RouterException(ErrorCodes.NotFound,
                    $"ONNX Runtime library not found at {libraryPath}: run ./router setup (or models/fetch-assets.sh)");
            nint lib;
            try { lib = NativeLibrary.Load(libraryPath); }
            catch (Exception e)
            {
                throw new RouterException(ErrorCodes.UnknownError,
                    $"ONNX Runtime library {libraryPath} could not be loaded ({e.Message}): run ./router setup to fetch it again", inner: e);
            }
            var getApiBase = (delegate* unmanaged[Cdecl]<nint*>)NativeLibrary.GetExport(lib, "OrtGetApiBase");
            nint* apiBase = getApiBase();
            var getApi = (delegate* unmanaged[Cdecl]<uint, nint*>)apiBase[0];
            var getVersion = (delegate* unmanaged[Cdecl]<nint>)apiBase[1];
            var version = Marshal.PtrToStringUTF8(getVersion()) ?? "?";
            nint* table = getApi(ApiVersion);
            if (table == null)
                throw new RouterException(ErrorCodes.UnknownError,
                    $"ONNX Runtime {version} at {libraryPath} does not offer API version {ApiVersion}: run ./router setup to fetch ONNX Runtime 1.30");
            return _instance = new OrtApi(lib, table, version);
        }
    }

    private nint Slot(int index) => _table[index];

    /// <summary>Throws when <paramref name="status"/> is an error, with ORT's own message, then frees it.</summary>
    public void Check(nint status, string what)
    {
        if (status == 0) return;
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint, nint>)Slot(2))(status)) ?? "unknown error";
        ((delegate* unmanaged[Cdecl]<nint, void>)Slot(93))(status);
        throw new OrtException($"ONNX Runtime {what} failed: {message}");
    }

    public nint CreateEnv(int logSeverity, string logId)
    {
        nint env;
        var id = Marshal.StringToCoTaskMemUTF8(logId);
        try { Check(((delegate* unmanaged[Cdecl]<int, nint, nint*, nint>)Slot(3))(logSeverity, id, &env), "CreateEnv"); }
        finally { Marshal.FreeCoTaskMem(id); }
        return env;
    }

    public nint CreateSession(nint env, string modelPath, nint options)
    {
        nint session;
        var path = Marshal.StringToCoTaskMemUTF8(modelPath); // ORTCHAR_T is char (UTF-8) on Linux
        try { Check(((delegate* unmanaged[Cdecl]<nint, nint, nint, nint*, nint>)Slot(7))(env, path, options, &session), $"loading {modelPath}"); }
        finally { Marshal.FreeCoTaskMem(path); }
        return session;
    }

    public nint Run(nint session, nint* inputNames, nint* inputs, nuint inputCount, nint* outputNames, nuint outputCount, nint* outputs) =>
        ((delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)Slot(9))(
            session, 0, inputNames, inputs, inputCount, outputNames, outputCount, outputs);

    public nint CreateSessionOptions()
    {
        nint options;
        Check(((delegate* unmanaged[Cdecl]<nint*, nint>)Slot(10))(&options), "CreateSessionOptions");
        return options;
    }

    public void SetSessionExecutionMode(nint options, int mode) =>
        Check(((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(13))(options, mode), "SetSessionExecutionMode");

    public void SetSessionLogSeverityLevel(nint options, int level) =>
        Check(((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(22))(options, level), "SetSessionLogSeverityLevel");

    public void SetSessionGraphOptimizationLevel(nint options, int level) =>
        Check(((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(23))(options, level), "SetSessionGraphOptimizationLevel");

    /// <summary>Slot 130 (API 4+): a string key/value from onnxruntime_session_options_config_keys.h.</summary>
    public void AddSessionConfigEntry(nint options, string key, string value)
    {
        var k = Marshal.StringToCoTaskMemUTF8(key);
        var v = Marshal.StringToCoTaskMemUTF8(value);
        try { Check(((delegate* unmanaged[Cdecl]<nint, nint, nint, nint>)Slot(130))(options, k, v), $"AddSessionConfigEntry {key}"); }
        finally { Marshal.FreeCoTaskMem(k); Marshal.FreeCoTaskMem(v); }
    }

    public void SetIntraOpNumThreads(nint options, int threads) =>
        Check(((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(24))(options, threads), "SetIntraOpNumThreads");

    public void SetInterOpNumThreads(nint options, int threads) =>
        Check(((delegate* unmanaged[Cdecl]<nint, int, nint>)Slot(25))(options, threads), "SetInterOpNumThreads");

    public nuint SessionGetInputCount(nint session)
    {
        nuint n;
        Check(((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(30))(session, &n), "SessionGetInputCount");
        return n;
    }

    public nuint SessionGetOutputCount(nint session)
    {
        nuint n;
        Check(((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(31))(session, &n), "SessionGetOutputCount");
        return n;
    }

    public long[] SessionGetShape(nint session, nuint index, bool input)
    {
        nint typeInfo;
        Check(((delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)Slot(input ? 33 : 34))(session, index, &typeInfo), "SessionGetTypeInfo");
        try
        {
            nint tensorInfo; // not owned: lives as long as typeInfo
            Check(((delegate* unmanaged[Cdecl]<nint, nint*, nint>)Slot(55))(typeInfo, &tensorInfo), "CastTypeInfoToTensorInfo");
            int elementType;
            Check(((delegate* unmanaged[Cdecl]<nint, int*, nint>)Slot(60))(tensorInfo, &elementType), "GetTensorElementType");
            if (elementType != ElementTypeFloat)
                throw new OrtException($"model {(input ? "input" : "output")} {index} has element type {elementType}, expected float32");
            return Dimensions(tensorInfo);
        }
        finally { ((delegate* unmanaged[Cdecl]<nint, void>)Slot(98))(typeInfo); }
    }

    private long[] Dimensions(nint tensorInfo)
    {
        nuint count;
        Check(((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(61))(tensorInfo, &count), "GetDimensionsCount");
        var dims = new long[(int)count];
        fixed (long* d = dims)
            Check(((delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)Slot(62))(tensorInfo, d, count), "GetDimensions");
        return dims;
    }

    public string SessionGetName(nint session, nuint index, bool input)
    {
        nint allocator = DefaultAllocator();
        nint name;
        Check(((delegate* unmanaged[Cdecl]<nint, nuint, nint, nint*, nint>)Slot(input ? 36 : 37))(session, index, allocator, &name), "SessionGetName");
        try { return Marshal.PtrToStringUTF8(name) ?? ""; }
        finally { Check(((delegate* unmanaged[Cdecl]<nint, nint, nint>)Slot(76))(allocator, name), "AllocatorFree"); }
    }

    public nint DefaultAllocator()
    {
        nint allocator;
        Check(((delegate* unmanaged[Cdecl]<nint*, nint>)Slot(78))(&allocator), "GetAllocatorWithDefaultOptions");
        return allocator;
    }

    public const int ElementTypeFloat = 1;

    /// <summary>A tensor over caller memory: the memory must stay pinned until the value is released.</summary>
    public nint CreateTensor(nint memoryInfo, float* data, int length, long* shape, int rank)
    {
        nint value;
        Check(((delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)Slot(49))(
            memoryInfo, data, (nuint)(length * sizeof(float)), shape, (nuint)rank, ElementTypeFloat, &value), "CreateTensorWithDataAsOrtValue");
        return value;
    }

    public float* GetTensorData(nint value)
    {
        void* data;
        Check(((delegate* unmanaged[Cdecl]<nint, void**, nint>)Slot(51))(value, &data), "GetTensorMutableData");
        return (float*)data;
    }

    public int GetTensorElementCount(nint value)
    {
        nint info;
        Check(((delegate* unmanaged[Cdecl]<nint, nint*, nint>)Slot(65))(value, &info), "GetTensorTypeAndShape");
        try
        {
            nuint count;
            Check(((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)Slot(64))(info, &count), "GetTensorShapeElementCount");
            return (int)count;
        }
        finally { ((delegate* unmanaged[Cdecl]<nint, void>)Slot(99))(info); }
    }

    public nint CreateCpuMemoryInfo()
    {
        nint info;
        // OrtArenaAllocator = 1, OrtMemTypeDefault = 0
        Check(((delegate* unmanaged[Cdecl]<int, int, nint*, nint>)Slot(69))(1, 0, &info), "CreateCpuMemoryInfo");
        return info;
    }

    public IReadOnlyList<string> GetAvailableProviders()
    {
        nint* names;
        int count;
        Check(((delegate* unmanaged[Cdecl]<nint**, int*, nint>)Slot(125))(&names, &count), "GetAvailableProviders");
        var list = new List<string>(count);
        for (var i = 0; i < count; i++) list.Add(Marshal.PtrToStringUTF8(names[i]) ?? "");
        ((delegate* unmanaged[Cdecl]<nint*, int, nint>)Slot(126))(names, count);
        return list;
    }

    /// <summary>Appends the CUDA provider with default options; throws <see cref="OrtException"/> when it cannot load.</summary>
    public void AppendCudaProvider(nint options)
    {
        nint cudaOptions;
        Check(((delegate* unmanaged[Cdecl]<nint*, nint>)Slot(205))(&cudaOptions), "CreateCUDAProviderOptions");
        try { Check(((delegate* unmanaged[Cdecl]<nint, nint, nint>)Slot(204))(options, cudaOptions), "SessionOptionsAppendExecutionProvider_CUDA_V2"); }
        finally { ((delegate* unmanaged[Cdecl]<nint, void>)Slot(208))(cudaOptions); }
    }

    public void ReleaseEnv(nint p) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(92))(p);
    public void ReleaseMemoryInfo(nint p) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(94))(p);
    public void ReleaseSession(nint p) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(95))(p);
    public void ReleaseValue(nint p) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(96))(p);
    public void ReleaseSessionOptions(nint p) => ((delegate* unmanaged[Cdecl]<nint, void>)Slot(100))(p);
}
