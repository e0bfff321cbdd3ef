using System.Buffers;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// Base of the per-model runners: owns the shared session and lends pooled input and output
/// buffers, so one call allocates no managed arrays.
/// </summary>
public abstract class ModelRunner : IDisposable
{
    protected ModelRunner(OrtSession session) => Session = session;

    public OrtSession Session { get; }

    /// <summary>Fills the pooled input with <paramref name="fill"/>, runs, and hands the outputs to <paramref name="read"/>.</summary>
    protected TResult Run<TState, TResult>(TState state, SpanFiller<TState> fill, SpanReader<TState, TResult> read)
    {
        var input = ArrayPool<float>.Shared.Rent(Session.InputLength);
        var output = ArrayPool<float>.Shared.Rent(Session.OutputLength);
        try
        {
            var inSpan = input.AsSpan(0, Session.InputLength);
            fill(state, inSpan);
            Session.Run(inSpan, output.AsSpan(0, Session.OutputLength));
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
        Session.Dispose();
        GC.SuppressFinalize(this);
    }
}
