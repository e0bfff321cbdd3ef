using Router.Models.Onnx;

namespace Router.Models.Inference;

/// <summary>
/// Configuration section <c>Models:Batching</c>: one <see cref="InferenceQueue"/> per model that
/// gathers the calls of every camera and API request into batches. README, "Inference batching",
/// has the measurements behind the defaults.
/// </summary>
public sealed class BatchingOptions
{
    public const string SectionName = "Models:Batching";

    /// <summary>
    /// true / false; unset: on when the session really runs on CUDA, off on CPU. Off on CPU because
    /// it does not pay there: with ORT on 2 threads a batch of n costs about n single calls
    /// (fr_feature 10.5–11 ms per face at any batch, fr_detect 3.5–3.9 ms per frame), and the
    /// queue adds the wait and a hand-off to every call (<c>router bench models --batch</c>, README).
    /// A GPU runs a batch of 8 in about the time of one call, which is what the queue is for.
    /// </summary>
    public bool? Enabled { get; set; }
    /// <summary>Most requests in one model call (1..64).</summary>
    public int MaxBatch { get; set; } = 8;
    /// <summary>
    /// How long the first request of a batch waits for others (0..50 ms) before the batch runs
    /// anyway; 0 runs whatever is queued as soon as the model is free (requests that arrive
    /// during a run still share the next one).
    /// </summary>
    public double MaxWaitMs { get; set; } = 1;
    /// <summary>Requests queued or running per model at most (≥ MaxBatch, ≤ 1024); a caller beyond that waits (back-pressure).</summary>
    public int QueueCapacity { get; set; } = 32;
    /// <summary>How long a caller waits for room in a full queue before it fails with OVER_CAPACITY (0 = fail at once; 0..60000).</summary>
    public int QueueWaitMs { get; set; } = 2000;

    /// <summary>Whether a session on <paramref name="provider"/> gets a queue.</summary>
    public bool EnabledFor(ExecutionProvider provider) => Enabled ?? provider == ExecutionProvider.Cuda;

    /// <summary>Every problem at once; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxBatch is < 1 or > 64) problems.Add($"Models:Batching:MaxBatch must be 1..64, not {MaxBatch}");
        if (!(MaxWaitMs is >= 0 and <= 50)) problems.Add($"Models:Batching:MaxWaitMs must be 0..50, not {MaxWaitMs}");
        if (QueueCapacity < Math.Max(1, MaxBatch) || QueueCapacity > 1024)
            problems.Add($"Models:Batching:QueueCapacity must be MaxBatch ({MaxBatch}) .. 1024, not {QueueCapacity}");
        if (QueueWaitMs is < 0 or > 60000) problems.Add($"Models:Batching:QueueWaitMs must be 0..60000, not {QueueWaitMs}");
        return problems;
    }
}
