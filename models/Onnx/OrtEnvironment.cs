namespace Router.Models.Onnx;

/// <summary>
/// The process-wide ORT environment (ORT allows one per process) and the CPU memory info that
/// every input tensor is created with. Never released: it lives as long as the process.
/// </summary>
internal sealed class OrtEnvironment
{
    private static readonly object Gate = new();
    private static OrtEnvironment? _instance;

    private OrtEnvironment(OrtApi api, nint env, nint memoryInfo)
    {
        Api = api;
        Handle = env;
        CpuMemoryInfo = memoryInfo;
    }

    public OrtApi Api { get; }
    public nint Handle { get; }
    public nint CpuMemoryInfo { get; }

    /// <summary>ORT logging level: 3 = ERROR (the age model floods warnings below that).</summary>
    public const int LogSeverityError = 3;

    public static OrtEnvironment Get(string libraryPath)
    {
        lock (Gate)
        {
            if (_instance != null) return _instance;
            var api = OrtApi.Load(libraryPath);
            var env = api.CreateEnv(LogSeverityError, "router");
            return _instance = new OrtEnvironment(api, env, api.CreateCpuMemoryInfo());
        }
    }
}
