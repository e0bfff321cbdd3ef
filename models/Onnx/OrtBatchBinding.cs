using Microsoft.ML.OnnxRuntime;

namespace Router.Models.Onnx;

/// <summary>
/// Pinned buffers for up to <see cref="MaxBatch"/> inputs of one session with a free batch axis,
/// and one IOBinding per batch size over their leading part, all bound once: a run of any
/// size allocates nothing. Each output is laid out as its own block of MaxBatch results, so a
/// batch of n fills the first n results of every block. One caller at a time.
/// </summary>
public sealed class OrtBatchBinding : IDisposable
{
    private readonly OrtSession _owner;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly int[] _outputLengths;
    private readonly OrtIoBinding[] _bindings;
    private readonly List<OrtValue> _values = [];

    internal OrtBatchBinding(OrtSession owner, int maxBatch)
    {
        if (!owner.FreeBatchAxis) throw new InvalidOperationException($"{Path.GetFileName(owner.ModelPath)} was loaded with a fixed batch axis: set OrtSessionSettings.FreeBatchAxis");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _owner = owner;
        MaxBatch = maxBatch;
        _input = GC.AllocateUninitializedArray<float>(maxBatch * owner.InputLength, pinned: true);
        _output = GC.AllocateUninitializedArray<float>(maxBatch * owner.OutputLength, pinned: true);
        _outputLengths = new int[owner.OutputNames.Count];
        for (var i = 0; i < _outputLengths.Length; i++) _outputLengths[i] = owner.OutputOffset(i + 1) - owner.OutputOffset(i);
        _bindings = new OrtIoBinding[maxBatch];
        try
        {
            for (var n = 1; n <= maxBatch; n++)
            {
                var binding = owner.Inner.CreateIoBinding();
                _bindings[n - 1] = binding;
                var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, n * owner.InputLength), WithBatch(owner.InputShapeArray, n));
                _values.Add(input);
                binding.BindInput(owner.InputName, input);
                for (var i = 0; i < _outputLengths.Length; i++)
                {
                    var memory = _output.AsMemory(maxBatch * owner.OutputOffset(i), n * _outputLengths[i]);
                    var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, WithBatch(owner.OutputShapeArrays[i], n));
                    _values.Add(value);
                    binding.BindOutput(owner.OutputNames[i], value);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int MaxBatch { get; }

    /// <summary>Where input <paramref name="index"/> of the next run goes.</summary>
    public Span<float> Input(int index) => _input.AsSpan(index * _owner.InputLength, _owner.InputLength);

    /// <summary>Runs the first <paramref name="count"/> inputs in one call.</summary>
    public void Run(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBatch);
        _owner.RunBound(_bindings[count - 1]);
    }

    /// <summary>Result <paramref name="index"/> of the last run, every output concatenated as <see cref="OrtSession.Run(ReadOnlySpan{float}, Span{float})"/> gives them.</summary>
    public void CopyResult(int index, Span<float> destination)
    {
        for (var i = 0; i < _outputLengths.Length; i++)
        {
            var length = _outputLengths[i];
            _output.AsSpan(MaxBatch * _owner.OutputOffset(i) + index * length, length).CopyTo(destination.Slice(_owner.OutputOffset(i), length));
        }
    }

    private static long[] WithBatch(long[] shape, int n)
    {
        var s = (long[])shape.Clone();
        s[0] = n;
        return s;
    }

    public void Dispose()
    {
        foreach (var b in _bindings) b?.Dispose();
        foreach (var v in _values) v.Dispose();
        _values.Clear();
    }
}
