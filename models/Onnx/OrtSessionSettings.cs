namespace Router.Models.Onnx;

/// <summary>How one ORT session is created.</summary>
public sealed record OrtSessionSettings
{
    /// <summary>Threads inside one operator; 0 lets ORT choose (all cores).</summary>
    public int IntraOpThreads { get; init; } = 1;
    public int InterOpThreads { get; init; } = 1;
    /// <summary>
    /// ORT's session.intra_op.allow_spinning (ORT's own default is on). Off here: with 1 intra-op
    /// thread there is no pool and it changes nothing; with more, idle workers spin between
    /// operators and take cores that other cameras' calls need. Measured with bench models on the
    /// shared 2-core machine (load 4–8), 2 threads: fr_feature median 13–17 ms spinning vs 8–13 ms
    /// not; fr_expression ~103–160 vs 56–93 ms. Spinning only wins on an idle machine.
    /// </summary>
    public bool AllowSpinning { get; init; }
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;
    /// <summary>ORT log severity: 0 verbose .. 4 fatal. ERROR (3) by default.</summary>
    public int LogSeverity { get; init; } = OrtRuntime.LogSeverityError;
    /// <summary>
    /// Load the model with its batch axis freed (<see cref="OnnxBatchAxis"/>), so that
    /// <see cref="OrtBatchBinding"/> can run several inputs in one call; batch-1 calls are unchanged.
    /// </summary>
    public bool FreeBatchAxis { get; init; }
    /// <summary>Called once with a human line when CUDA was asked for but could not be used.</summary>
    public Action<string>? OnProviderFallback { get; init; }
}
