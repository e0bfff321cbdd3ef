namespace Router.Models.Onnx;

/// <summary>Where the models run. CUDA falls back to CPU (with one log line) when its provider cannot load.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
}
