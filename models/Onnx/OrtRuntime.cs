using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace Router.Models.Onnx;

/// <summary>
/// Which ONNX Runtime package this build carries and the process-wide ORT environment (one per
/// process, created before the first session so that ORT logs at ERROR: the age model floods
/// warnings below that).
/// </summary>
public static class OrtRuntime
{
    private static readonly Lazy<OrtEnv> Env = new(() =>
    {
        var options = new EnvironmentCreationOptions { logId = "router", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        return OrtEnv.CreateInstanceWithOptions(ref options);
    });

    /// <summary>ORT logging level: 3 = ERROR.</summary>
    public const int LogSeverityError = 3;

#if ROUTER_ORT_GPU
    /// <summary>The NuGet package the build references (<c>-p:RouterOnnxRuntime=gpu</c> or <c>cpu</c>, the default).</summary>
    public const string Package = "Microsoft.ML.OnnxRuntime.Gpu";
    public const bool HasCudaProvider = true;
#else
    /// <summary>The NuGet package the build references (<c>-p:RouterOnnxRuntime=gpu</c> or <c>cpu</c>, the default).</summary>
    public const string Package = "Microsoft.ML.OnnxRuntime";
    public const bool HasCudaProvider = false;
#endif

    internal static OrtEnv EnsureEnvironment() => Env.Value;

    /// <summary>The native library's version, e.g. 1.31.1.</summary>
    public static string NativeVersion => EnsureEnvironment().GetVersionString();

    /// <summary>"Microsoft.ML.OnnxRuntime (native 1.31.1)": what bench and start-up print.</summary>
    public static string Description => $"{Package} {typeof(InferenceSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]} (native {NativeVersion})";

    /// <summary>The one log line for a CUDA request that could not be served, naming what is missing.</summary>
    internal static string CudaFallbackLine(Exception e)
    {
        var reason = e.Message.ReplaceLineEndings(" ").Trim();
        return HasCudaProvider
            ? $"CUDA execution provider unavailable, running on CPU: {reason} (needs an NVIDIA driver and CUDA 13 with cuDNN 9: libcudart.so.13, libcublasLt.so.13, libcublas.so.13, libcudnn.so.9, ... on the library path)"
            : $"CUDA execution provider unavailable, running on CPU: this build carries the CPU-only {Package} package, which has no CUDA provider (build with -p:RouterOnnxRuntime=gpu for Microsoft.ML.OnnxRuntime.Gpu); ORT said: {reason}";
    }
}
