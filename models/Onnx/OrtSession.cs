using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Router.Abstractions;

namespace Router.Models.Onnx;

/// <summary>
/// One loaded ONNX model with a single float32 input and one or more float32 outputs. ORT's
/// Run is thread-safe, so one session is shared by every caller. Input tensors are created
/// over the caller's (pinned) span, so a run allocates nothing managed; the outputs that ORT
/// allocates are copied into the caller's span and released at once.
/// </summary>
public sealed unsafe class OrtSession : IDisposable
{
    private readonly OrtEnvironment _env;
    private nint _session;
    private readonly nint _inputName;
    private readonly nint[] _outputNames;
    private readonly long[] _inputShape;
    private readonly int[] _outputOffsets;

    public OrtSession(string modelPath, string ortLibraryPath, OrtSessionSettings? settings = null)
    {
        settings ??= new OrtSessionSettings();
        ModelPath = modelPath;
        if (!File.Exists(modelPath))
            throw new RouterException(ErrorCodes.NotFound,
                $"model file {modelPath} not found: run ./router setup (or models/fetch-assets.sh) to fetch the models");
        _env = OrtEnvironment.Get(ortLibraryPath);
        var api = _env.Api;
        var options = api.CreateSessionOptions();
        try
        {
            api.SetIntraOpNumThreads(options, settings.IntraOpThreads);
            api.SetInterOpNumThreads(options, settings.InterOpThreads);
            api.SetSessionExecutionMode(options, 0); // ORT_SEQUENTIAL: the models are single chains
            api.SetSessionGraphOptimizationLevel(options, 99); // ORT_ENABLE_ALL
            api.SetSessionLogSeverityLevel(options, settings.LogSeverity);
            // Only matters with an intra-op pool (threads > 1): idle workers spin for the next
            // operator instead of sleeping. Lower latency on an idle machine, stolen cores on a
            // busy one (many cameras, other processes): see OrtSessionSettings.AllowSpinning.
            api.AddSessionConfigEntry(options, "session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            Provider = ExecutionProvider.Cpu;
            if (settings.Provider == ExecutionProvider.Cuda)
            {
                try
                {
                    api.AppendCudaProvider(options);
                    Provider = ExecutionProvider.Cuda;
                }
                catch (OrtException e)
                {
                    settings.OnProviderFallback?.Invoke($"CUDA execution provider unavailable, running on CPU: {e.Reason}");
                }
            }
            try { _session = api.CreateSession(_env.Handle, modelPath, options); }
            catch (OrtException e)
            {
                throw new RouterException(ErrorCodes.ExtractionError,
                    $"model file {modelPath} could not be loaded ({e.Reason}): it is corrupt or not an ONNX model; run ./router setup to fetch it again", inner: e);
            }
        }
        finally { api.ReleaseSessionOptions(options); }

        if (api.SessionGetInputCount(_session) != 1)
            throw new OrtException($"model {modelPath} has {api.SessionGetInputCount(_session)} inputs, expected 1");
        InputName = api.SessionGetName(_session, 0, input: true);
        _inputShape = api.SessionGetShape(_session, 0, input: true);
        for (var i = 0; i < _inputShape.Length; i++)
            if (_inputShape[i] < 0) _inputShape[i] = 1; // a dynamic batch axis: we always run batch 1
        InputLength = checked((int)_inputShape.Aggregate(1L, (a, b) => a * b));
        _inputName = Marshal.StringToCoTaskMemUTF8(InputName);

        var outputs = (int)api.SessionGetOutputCount(_session);
        var names = new string[outputs];
        _outputNames = new nint[outputs];
        _outputOffsets = new int[outputs + 1];
        var shapes = new long[outputs][];
        for (var i = 0; i < outputs; i++)
        {
            names[i] = api.SessionGetName(_session, (nuint)i, input: false);
            _outputNames[i] = Marshal.StringToCoTaskMemUTF8(names[i]);
            var shape = api.SessionGetShape(_session, (nuint)i, input: false);
            for (var d = 0; d < shape.Length; d++) if (shape[d] < 0) shape[d] = 1;
            shapes[i] = shape;
            _outputOffsets[i + 1] = _outputOffsets[i] + checked((int)shape.Aggregate(1L, (a, b) => a * b));
        }
        OutputNames = names;
        OutputShapes = shapes;
    }

    public string ModelPath { get; }
    public string InputName { get; }
    public IReadOnlyList<long> InputShape => _inputShape;
    public int InputLength { get; }
    public IReadOnlyList<string> OutputNames { get; }
    public IReadOnlyList<long[]> OutputShapes { get; }
    /// <summary>Every output's elements, concatenated in <see cref="OutputNames"/> order.</summary>
    public int OutputLength => _outputOffsets[^1];
    /// <summary>Where output <paramref name="index"/> starts in the concatenated output span.</summary>
    public int OutputOffset(int index) => _outputOffsets[index];
    public int OutputIndex(string name)
    {
        for (var i = 0; i < OutputNames.Count; i++) if (OutputNames[i] == name) return i;
        throw new OrtException($"model {ModelPath} has no output named {name} (it has {string.Join(", ", OutputNames)})");
    }

    /// <summary>The provider the session actually runs on (CPU after a CUDA fallback).</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>Runs the model; <paramref name="output"/> receives all outputs concatenated (<see cref="OutputLength"/>).</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != InputLength) throw new ArgumentException($"input has {input.Length} floats, the model takes {InputLength}", nameof(input));
        if (output.Length < OutputLength) throw new ArgumentException($"output span has {output.Length} floats, the model gives {OutputLength}", nameof(output));
        var session = _session;
        ObjectDisposedException.ThrowIf(session == 0, this);
        var api = _env.Api;
        var count = _outputNames.Length;
        nint* values = stackalloc nint[count];
        nint* names = stackalloc nint[count];
        for (var i = 0; i < count; i++) { values[i] = 0; names[i] = _outputNames[i]; }
        fixed (float* data = input)
        fixed (long* shape = _inputShape)
        {
            var tensor = api.CreateTensor(_env.CpuMemoryInfo, data, input.Length, shape, _inputShape.Length);
            try
            {
                nint inputName = _inputName;
                var status = api.Run(session, &inputName, &tensor, 1, names, (nuint)count, values);
                // The message is built only on failure: an interpolated argument would allocate on every run.
                if (status != 0) api.Check(status, $"Run of {Path.GetFileName(ModelPath)}");
                for (var i = 0; i < count; i++)
                {
                    var n = api.GetTensorElementCount(values[i]);
                    var expected = _outputOffsets[i + 1] - _outputOffsets[i];
                    if (n != expected) throw new OrtException($"{Path.GetFileName(ModelPath)} output {OutputNames[i]} has {n} elements, expected {expected}");
                    new ReadOnlySpan<float>(api.GetTensorData(values[i]), n).CopyTo(output[_outputOffsets[i]..]);
                }
            }
            finally
            {
                api.ReleaseValue(tensor);
                for (var i = 0; i < count; i++) if (values[i] != 0) api.ReleaseValue(values[i]);
            }
        }
    }

    /// <summary>
    /// For the benchmark: milliseconds of each of <paramref name="iterations"/> bare native Run
    /// calls on one tensor created up front, with no copying, checking or marshalling around
    /// them, so that <see cref="Run"/>'s overhead can be measured against it.
    /// </summary>
    public double[] MeasureBareRuns(ReadOnlySpan<float> input, int iterations)
    {
        var api = _env.Api;
        var count = _outputNames.Length;
        nint* values = stackalloc nint[count];
        var times = new double[iterations];
        fixed (float* data = input)
        fixed (long* shape = _inputShape)
        fixed (nint* names = _outputNames)
        {
            var tensor = api.CreateTensor(_env.CpuMemoryInfo, data, input.Length, shape, _inputShape.Length);
            nint inputName = _inputName;
            try
            {
                for (var it = 0; it < iterations; it++)
                {
                    for (var i = 0; i < count; i++) values[i] = 0;
                    var start = Stopwatch.GetTimestamp();
                    var status = api.Run(_session, &inputName, &tensor, 1, names, (nuint)count, values);
                    times[it] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    api.Check(status, "Run");
                    for (var i = 0; i < count; i++) api.ReleaseValue(values[i]);
                }
            }
            finally { api.ReleaseValue(tensor); }
        }
        return times;
    }

    public void Dispose()
    {
        var s = Interlocked.Exchange(ref _session, 0);
        if (s == 0) return;
        _env.Api.ReleaseSession(s);
        Marshal.FreeCoTaskMem(_inputName);
        foreach (var n in _outputNames) Marshal.FreeCoTaskMem(n);
    }
}
