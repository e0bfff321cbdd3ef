namespace Router.Models.Onnx;

/// <summary>How one ORT session is created.</summary>
public sealed record OrtSessionSettings
{
    /// <summary>Threads inside one operator; 0 lets ORT choose (all cores).</summary>
    public int IntraOpThreads { get; init; } = 1;
    public int InterOpThreads { get; init; } = 1;
    /// <summary>
    /// ORT's session.intra_op.allow_spinning. Off by default: with 1 intra-op thread there is no
    /// pool and it changes nothing; with more, spinning workers burn cores that other cameras'
    /// sessions (and other processes) need, and measured under load it did not pay (bench models).
    /// </summary>
    public bool AllowSpinning { get; init; }
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;
    /// <summary>ORT log severity: 0 verbose .. 4 fatal. ERROR (3) by default.</summary>
    public int LogSeverity { get; init; } = OrtEnvironment.LogSeverityError;
    /// <summary>Called once with a human line when CUDA was asked for but could not be used.</summary>
    public Action<string>? OnProviderFallback { get; init; }
}
