using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Router.Abstractions;

namespace Router.Models.Onnx;

/// <summary>
/// One loaded ONNX model with a single float32 input and one or more float32 outputs, run through
/// the Microsoft.ML.OnnxRuntime package (CPU by default, the .Gpu package with
/// <c>-p:RouterOnnxRuntime=gpu</c>; README, "ONNX Runtime"). ORT's Run is thread-safe, so one
/// session is shared by every caller. Each call takes a <see cref="Binding"/> from a small
/// lock-free pool: pinned input and output buffers with their OrtValues and an IOBinding that are
/// bound once, so a warm call allocates nothing; the input is copied in, the outputs out.
/// </summary>
public sealed class OrtSession : IInferenceRunner, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _inputShape;
    private readonly long[][] _outputShapes;
    private readonly int[] _outputOffsets;
    private readonly Binding?[] _pool = new Binding?[Math.Max(4, Environment.ProcessorCount * 2)];
    private int _disposed;

    public OrtSession(string modelPath, OrtSessionSettings? settings = null)
    {
        settings ??= new OrtSessionSettings();
        ModelPath = modelPath;
        if (!File.Exists(modelPath))
            throw new RouterException(ErrorCodes.NotFound,
                $"model file {modelPath} not found: run ./router setup (or models/fetch-assets.sh) to fetch the models");
        OrtRuntime.EnsureEnvironment();
        using var options = new SessionOptions
        {
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = settings.InterOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, // the models are single chains
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = (OrtLoggingLevel)settings.LogSeverity,
        };
        // Only matters with an intra-op pool (threads > 1): idle workers spin for the next
        // operator instead of sleeping. Lower latency on an idle machine, stolen cores on a
        // busy one (many cameras, other processes): see OrtSessionSettings.AllowSpinning.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
        Provider = ExecutionProvider.Cpu;
        FreeBatchAxis = settings.FreeBatchAxis;
        if (settings.Provider == ExecutionProvider.Cuda)
        {
            // GetAvailableProviders() lists CUDA even where it cannot load, so the only honest
            // test is to append it: without the provider library or CUDA's own libraries this
            // throws, and the same options then build a working CPU session.
            try
            {
                options.AppendExecutionProvider_CUDA(0);
                Provider = ExecutionProvider.Cuda;
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                settings.OnProviderFallback?.Invoke(OrtRuntime.CudaFallbackLine(e));
            }
        }
        try { _session = settings.FreeBatchAxis ? new InferenceSession(OnnxBatchAxis.MakeDynamic(File.ReadAllBytes(modelPath)), options) : new InferenceSession(modelPath, options); }
        catch (Exception e) when (e is OnnxRuntimeException or OrtException)
        {
            throw new RouterException(ErrorCodes.ExtractionError,
                $"model file {modelPath} could not be loaded ({e.Message}): it is corrupt or not an ONNX model; run ./router setup to fetch it again", inner: e);
        }

        try
        {
            if (_session.InputNames.Count != 1)
                throw new OrtException($"model {modelPath} has {_session.InputNames.Count} inputs, expected 1");
            InputName = _session.InputNames[0];
            _inputShape = Shape(_session.InputMetadata[InputName], modelPath, InputName);
            InputLength = checked((int)_inputShape.Aggregate(1L, (a, b) => a * b));

            var names = _session.OutputNames.ToArray();
            _outputShapes = new long[names.Length][];
            _outputOffsets = new int[names.Length + 1];
            for (var i = 0; i < names.Length; i++)
            {
                _outputShapes[i] = Shape(_session.OutputMetadata[names[i]], modelPath, names[i]);
                _outputOffsets[i + 1] = _outputOffsets[i] + checked((int)_outputShapes[i].Aggregate(1L, (a, b) => a * b));
            }
            OutputNames = names;
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    private static long[] Shape(NodeMetadata metadata, string modelPath, string name)
    {
        if (metadata.ElementDataType != TensorElementType.Float)
            throw new OrtException($"model {modelPath}: {name} is {metadata.ElementDataType}, expected float32");
        // A dynamic axis (the batch): we always run batch 1.
        return metadata.Dimensions.Select(d => d < 0 ? 1L : d).ToArray();
    }

    public string ModelPath { get; }
    public string InputName { get; }
    public IReadOnlyList<long> InputShape => _inputShape;
    public int InputLength { get; }
    public IReadOnlyList<string> OutputNames { get; }
    public IReadOnlyList<long[]> OutputShapes => _outputShapes;
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
    /// <summary>Whether the model was loaded with a free batch axis (<see cref="OrtSessionSettings.FreeBatchAxis"/>).</summary>
    public bool FreeBatchAxis { get; }

    internal InferenceSession Inner => _session;
    internal long[] InputShapeArray => _inputShape;
    internal long[][] OutputShapeArrays => _outputShapes;

    /// <summary>Buffers and bindings for runs of 1..<paramref name="maxBatch"/> inputs at once; the session must have a free batch axis.</summary>
    public OrtBatchBinding CreateBatchBinding(int maxBatch) => new(this, maxBatch);

    /// <summary>Runs the model; <paramref name="output"/> receives all outputs concatenated (<see cref="OutputLength"/>).</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output) => Run(input, output, CancellationToken.None);

    /// <summary>As <see cref="Run(ReadOnlySpan{float}, Span{float})"/>; a direct call is not interruptible, so the token is only checked before it starts.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (input.Length != InputLength) throw new ArgumentException($"input has {input.Length} floats, the model takes {InputLength}", nameof(input));
        if (output.Length < OutputLength) throw new ArgumentException($"output span has {output.Length} floats, the model gives {OutputLength}", nameof(output));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var binding = Rent();
        try
        {
            input.CopyTo(binding.Input);
            RunBound(binding);
            binding.Output.AsSpan(0, OutputLength).CopyTo(output);
        }
        finally { Return(binding); }
    }

    private void RunBound(Binding binding) => RunBound(binding.IoBinding);

    internal void RunBound(OrtIoBinding binding)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try { _session.RunWithBinding(_runOptions, binding); }
        catch (OnnxRuntimeException e)
        {
            // The message is built only on failure: an interpolated argument would allocate on every run.
            throw new OrtException($"Run of {Path.GetFileName(ModelPath)} failed: {e.Message}");
        }
    }

    private Binding Rent()
    {
        for (var i = 0; i < _pool.Length; i++)
        {
            var b = Interlocked.Exchange(ref _pool[i], null);
            if (b != null) return b;
        }
        return new Binding(this); // more callers at once than ever before: one more binding
    }

    private void Return(Binding binding)
    {
        if (Volatile.Read(ref _disposed) == 0)
            for (var i = 0; i < _pool.Length; i++)
                if (Interlocked.CompareExchange(ref _pool[i], binding, null) == null)
                {
                    if (Volatile.Read(ref _disposed) == 0) return;
                    // Disposed meanwhile: take it back out if Dispose did not.
                    if (Interlocked.CompareExchange(ref _pool[i], null, binding) != binding) return;
                    break;
                }
        binding.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        for (var i = 0; i < _pool.Length; i++) Interlocked.Exchange(ref _pool[i], null)?.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Pinned buffers, their OrtValues and an IOBinding bound to them once: one caller at a time (the bench's bare runs make their own).</summary>
    internal sealed class Binding : IDisposable
    {
        public readonly float[] Input;
        public readonly float[] Output;
        public readonly OrtIoBinding IoBinding;
        private readonly List<OrtValue> _values = [];

        public Binding(OrtSession owner)
        {
            Input = GC.AllocateUninitializedArray<float>(owner.InputLength, pinned: true);
            Output = GC.AllocateUninitializedArray<float>(owner.OutputLength, pinned: true);
            IoBinding = owner._session.CreateIoBinding();
            try
            {
                var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Input.AsMemory(), owner._inputShape);
                _values.Add(input);
                IoBinding.BindInput(owner.InputName, input);
                for (var i = 0; i < owner.OutputNames.Count; i++)
                {
                    var memory = Output.AsMemory(owner._outputOffsets[i], owner._outputOffsets[i + 1] - owner._outputOffsets[i]);
                    var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, owner._outputShapes[i]);
                    _values.Add(value);
                    IoBinding.BindOutput(owner.OutputNames[i], value);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            IoBinding.Dispose();
            foreach (var v in _values) v.Dispose();
            _values.Clear();
        }
    }
}
