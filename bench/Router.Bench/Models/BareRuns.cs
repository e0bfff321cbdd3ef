using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Router.Models.Onnx;

namespace Router.Bench;

/// <summary>
/// Bare RunWithBinding calls of an <see cref="OrtSession"/>'s model on a binding of its own, of the
/// kind the session pools (pinned input and output buffers, their OrtValues bound once), filled up
/// front: no copying or checking around the run, so that
/// <see cref="OrtSession.Run(ReadOnlySpan{float}, Span{float})"/>'s overhead can be measured against it.
/// </summary>
public sealed class BareRuns : IDisposable
{
    private readonly OrtSession _session;
    private readonly OrtSession.Binding _binding;
    private readonly RunOptions _runOptions = new();

    public BareRuns(OrtSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _binding = new OrtSession.Binding(session);
    }

    /// <summary>Milliseconds of each of <paramref name="iterations"/> bare runs on <paramref name="input"/> (copied in before the first).</summary>
    public double[] Measure(ReadOnlySpan<float> input, int iterations)
    {
        var times = new double[iterations];
        input.CopyTo(_binding.Input);
        for (var it = 0; it < iterations; it++)
        {
            var start = Stopwatch.GetTimestamp();
            _session.Inner.RunWithBinding(_runOptions, _binding.IoBinding);
            times[it] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
    }
}
