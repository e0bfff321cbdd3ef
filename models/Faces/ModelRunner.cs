using System.Buffers;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// Base of the per-model runners: owns the shared session and lends pooled input and output
/// buffers, so one call allocates no managed arrays. Calls go through <see cref="Runner"/>: the
/// session itself, or the model's batching queue (<see cref="Inference.InferenceQueue"/>) when
/// Models:Batching is on.
/// </summary>
public abstract class ModelRunner : IDisposable
{
    protected ModelRunner(OrtSession session)
    {
        Session = session;
        Runner = session;
    }

    public OrtSession Session { get; }
    /// <summary>What a call runs through: <see cref="Session"/> or the model's queue.</summary>
    public IInferenceRunner Runner { get; private set; }

    /// <summary>Routes every later call through <paramref name="runner"/>, which this runner then owns (disposed before the session).</summary>
    internal void RunThrough(IInferenceRunner runner) => Runner = runner;

    /// <summary>Fills the pooled input with <paramref name="fill"/>, runs, and hands the outputs to <paramref name="read"/>.</summary>
    protected TResult Run<TState, TResult>(TState state, SpanFiller<TState> fill, SpanReader<TState, TResult> read)
    {
        var input = ArrayPool<float>.Shared.Rent(Session.InputLength);
        var output = ArrayPool<float>.Shared.Rent(Session.OutputLength);
        try
        {
            var inSpan = input.AsSpan(0, Session.InputLength);
            fill(state, inSpan);
            Runner.Run(inSpan, output.AsSpan(0, Session.OutputLength), CancellationToken.None);
            return read(state, output.AsSpan(0, Session.OutputLength));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    protected delegate void SpanFiller<in TState>(TState state, Span<float> input);
    protected delegate TResult SpanReader<in TState, out TResult>(TState state, Span<float> output);

    public void Dispose()
    {
        if (!ReferenceEquals(Runner, Session)) (Runner as IDisposable)?.Dispose();
        Session.Dispose();
        GC.SuppressFinalize(this);
    }
}
