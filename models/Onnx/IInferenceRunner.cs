namespace Router.Models.Onnx;

/// <summary>
/// Runs one model input to its outputs: an <see cref="OrtSession"/> called directly, or a queue
/// that batches the calls of every camera (Router.Models.Inference.InferenceQueue). The model
/// runners call through this, so batching is a setting, not a second code path.
/// </summary>
public interface IInferenceRunner
{
    /// <summary>Floats in one input (batch 1).</summary>
    int InputLength { get; }
    /// <summary>Floats in one result: every output concatenated.</summary>
    int OutputLength { get; }
    /// <summary>Runs <paramref name="input"/>; <paramref name="output"/> receives every output concatenated. Safe from any thread.</summary>
    void Run(ReadOnlySpan<float> input, Span<float> output, CancellationToken ct);
}
