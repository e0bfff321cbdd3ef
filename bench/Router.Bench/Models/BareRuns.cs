using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Router.Models.Onnx;

namespace Router.Bench;

/// <summary>
/// Bare RunWithBinding calls of an <see cref="OrtSession"/>'s model on an IOBinding of its own, made
/// as the session makes its pooled ones (pinned input and output buffers, their OrtValues bound
/// once) and filled up front: no copying or checking around the run, so that
/// <see cref="OrtSession.Run(ReadOnlySpan{float}, Span{float})"/>'s overhead can be measured against it.
/// </summary>
public sealed class BareRuns : IDisposable
{
    private readonly OrtSession _session;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];

    public BareRuns(OrtSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _input = GC.AllocateUninitializedArray<float>(session.InputLength, pinned: true);
        _output = GC.AllocateUninitializedArray<float>(session.OutputLength, pinned: true);
        _binding = session.Inner.CreateIoBinding();
        try
        {
            var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(), session.InputShapeArray);
            _values.Add(input);
            _binding.BindInput(session.InputName, input);
            for (var i = 0; i < session.OutputNames.Count; i++)
            {
                var memory = _output.AsMemory(session.OutputOffset(i), session.OutputOffset(i + 1) - session.OutputOffset(i));
                var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, session.OutputShapeArrays[i]);
                _values.Add(value);
                _binding.BindOutput(session.OutputNames[i], value);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Milliseconds of each of <paramref name="iterations"/> bare runs on <paramref name="input"/> (copied in before the first).</summary>
    public double[] Measure(ReadOnlySpan<float> input, int iterations)
    {
        var times = new double[iterations];
        input.CopyTo(_input);
        for (var it = 0; it < iterations; it++)
        {
            var start = Stopwatch.GetTimestamp();
            _session.Inner.RunWithBinding(_runOptions, _binding);
            times[it] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var v in _values) v.Dispose();
        _values.Clear();
        _runOptions.Dispose();
    }
}
