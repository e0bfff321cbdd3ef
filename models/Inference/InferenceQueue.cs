using System.Diagnostics;
using Router.Abstractions;
using Router.Models.Onnx;

namespace Router.Models.Inference;

/// <summary>
/// One model's queue shared by every caller (camera threads, API requests): requests from any
/// thread are gathered by one dispatcher thread into batches of up to <see cref="MaxBatch"/>, which
/// waits at most <see cref="BatchingOptions.MaxWaitMs"/> after the first request of a batch for
/// others, and runs each batch in one model call over preallocated pinned buffers
/// (<see cref="OrtBatchBinding"/>). Each result goes back to its own caller, which blocks until
/// then. Back-pressure: at most <see cref="Capacity"/> requests are queued or running; a caller
/// beyond that waits for room up to <see cref="BatchingOptions.QueueWaitMs"/> and then fails with
/// OVER_CAPACITY rather than letting a queue grow without bound. Every buffer, request slot and
/// event is made here, so a warm call allocates nothing.
/// </summary>
public sealed class InferenceQueue : IInferenceRunner, IDisposable
{
    private readonly OrtSession _session;
    private readonly OrtBatchBinding _batch;
    private readonly long _maxWaitTicks;
    private readonly int _queueWaitMs;
    private readonly Request[] _requests;
    private readonly int[] _free;
    private int _freeCount;
    private readonly int[] _ring;
    private int _head, _count;
    private readonly int[] _running;
    private readonly SemaphoreSlim _room;
    private readonly object _gate = new(); // Monitor.Wait/Pulse: the dispatcher sleeps on it
    private readonly Thread _dispatcher;
    private bool _stopping;
    private long _batches, _completed, _dispatcherAllocated;
    private int _peakInFlight;

    public InferenceQueue(OrtSession session, BatchingOptions options)
    {
        var problems = options.Problems();
        if (problems.Count > 0) throw new RouterException(ErrorCodes.BadParam, string.Join("; ", problems), BatchingOptions.SectionName);
        _session = session;
        _batch = session.CreateBatchBinding(options.MaxBatch);
        MaxBatch = options.MaxBatch;
        Capacity = options.QueueCapacity;
        _maxWaitTicks = (long)(options.MaxWaitMs * Stopwatch.Frequency / 1000);
        _queueWaitMs = options.QueueWaitMs;
        _requests = new Request[Capacity];
        _free = new int[Capacity];
        for (var i = 0; i < Capacity; i++)
        {
            _requests[i] = new Request(i, session.InputLength, session.OutputLength);
            _free[i] = Capacity - 1 - i;
        }
        _freeCount = Capacity;
        _ring = new int[Capacity];
        _running = new int[MaxBatch];
        _room = new SemaphoreSlim(Capacity, Capacity);
        Name = Path.GetFileNameWithoutExtension(session.ModelPath);
        _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "inference " + Name };
        _dispatcher.Start();
    }

    public string Name { get; }
    public int MaxBatch { get; }
    /// <summary>Requests queued or running at most.</summary>
    public int Capacity { get; }
    public int InputLength => _session.InputLength;
    public int OutputLength => _session.OutputLength;
    /// <summary>Model calls made so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);
    /// <summary>Requests answered so far; divided by <see cref="Batches"/>, the mean batch size.</summary>
    public long Completed => Interlocked.Read(ref _completed);
    /// <summary>Most requests queued or running at once so far: never above <see cref="Capacity"/>.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);
    /// <summary>Bytes the dispatcher thread has allocated since it started (steady state: none per batch).</summary>
    public long DispatcherAllocatedBytes => Interlocked.Read(ref _dispatcherAllocated);
    /// <summary>Requests waiting for the dispatcher now (not counting the running batch).</summary>
    public int Queued { get { lock (_gate) return _count; } }

    /// <summary>
    /// Queues <paramref name="input"/> and blocks until its batch has run. Cancelling while the
    /// request is still queued takes it out; once its batch runs, the call waits for the batch
    /// (one model call) and then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output, CancellationToken ct)
    {
        if (input.Length != InputLength) throw new ArgumentException($"input has {input.Length} floats, the model takes {InputLength}", nameof(input));
        if (output.Length < OutputLength) throw new ArgumentException($"output span has {output.Length} floats, the model gives {OutputLength}", nameof(output));
        if (!_room.Wait(_queueWaitMs, ct))
            throw new RouterException(ErrorCodes.OverCapacity,
                $"the {Name} inference queue is full ({Capacity} requests waited for more than {_queueWaitMs} ms): the model cannot keep up; raise Models:Batching:QueueCapacity or reduce the load");
        Request r;
        lock (_gate)
        {
            if (_stopping)
            {
                _room.Release();
                throw new ObjectDisposedException(nameof(InferenceQueue), $"the {Name} inference queue is stopped");
            }
            r = _requests[_free[--_freeCount]];
            r.State = RequestState.Filling;
            if (Capacity - _freeCount > _peakInFlight) _peakInFlight = Capacity - _freeCount;
        }
        // Outside the lock: other callers queue while this one copies its input.
        input.CopyTo(r.Input);
        r.Error = null;
        r.Done.Reset();
        lock (_gate)
        {
            if (_stopping)
            {
                // Stopped while this caller copied: the dispatcher may be gone, so never queue.
                ReleaseLocked(r);
                _room.Release();
                throw new ObjectDisposedException(nameof(InferenceQueue), $"the {Name} inference queue is stopped");
            }
            r.EnqueuedTicks = Stopwatch.GetTimestamp();
            r.State = RequestState.Queued;
            _ring[(_head + _count) % _ring.Length] = r.Index;
            _count++;
            // Wake the dispatcher when it idles (first request) or waits for a full batch.
            if (_count == 1 || _count >= MaxBatch) Monitor.Pulse(_gate);
        }

        try { r.Done.Wait(ct); }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (r.State == RequestState.Queued)
                {
                    RemoveQueued(r.Index);
                    ReleaseLocked(r);
                    _room.Release();
                    throw;
                }
            }
            r.Done.Wait(CancellationToken.None); // taken by a running batch: wait for it, drop the result
            Release(r);
            throw;
        }

        try
        {
            if (r.Error is { } error)
                throw error is RouterException re
                    ? new RouterException(re.Code, re.Reason, inner: error)
                    : new RouterException(ErrorCodes.ExtractionError, $"the {Name} batch failed: {error.Message}", inner: error);
            r.Output.AsSpan(0, OutputLength).CopyTo(output);
        }
        finally { Release(r); }
    }

    private void Dispatch()
    {
        var allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        while (true)
        {
            int n;
            lock (_gate)
            {
                while (_count == 0)
                {
                    if (_stopping) return;
                    Monitor.Wait(_gate);
                }
                if (_maxWaitTicks > 0)
                {
                    var deadline = _requests[_ring[_head]].EnqueuedTicks + _maxWaitTicks;
                    while (_count < MaxBatch && !_stopping)
                    {
                        var left = deadline - Stopwatch.GetTimestamp();
                        if (left <= 0) break;
                        // Monitor waits in whole milliseconds: round up so the deadline is met, not missed early.
                        Monitor.Wait(_gate, (int)Math.Max(1, (left * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
                    }
                }
                n = Math.Min(_count, MaxBatch);
                for (var i = 0; i < n; i++)
                {
                    var index = _ring[_head];
                    _head = (_head + 1) % _ring.Length;
                    _count--;
                    _running[i] = index;
                    _requests[index].State = RequestState.Taken;
                }
            }

            Exception? error = null;
            try
            {
                for (var i = 0; i < n; i++) _requests[_running[i]].Input.AsSpan().CopyTo(_batch.Input(i));
                _batch.Run(n);
                for (var i = 0; i < n; i++) _batch.CopyResult(i, _requests[_running[i]].Output);
            }
            catch (Exception e) { error = e; }
            Interlocked.Exchange(ref _dispatcherAllocated, GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _completed, n);
            for (var i = 0; i < n; i++)
            {
                var r = _requests[_running[i]];
                r.Error = error;
                r.State = RequestState.Done;
                r.Done.Set();
            }
        }
    }

    /// <summary>Takes a cancelled request out of the ring, keeping the others in order. Under the lock.</summary>
    private void RemoveQueued(int index)
    {
        var len = _ring.Length;
        var at = 0;
        while (at < _count && _ring[(_head + at) % len] != index) at++;
        for (; at < _count - 1; at++) _ring[(_head + at) % len] = _ring[(_head + at + 1) % len];
        _count--;
    }

    private void Release(Request r)
    {
        lock (_gate) ReleaseLocked(r);
        _room.Release();
    }

    private void ReleaseLocked(Request r)
    {
        r.State = RequestState.Free;
        _free[_freeCount++] = r.Index;
    }

    /// <summary>Stops taking requests, runs those already queued, then stops the dispatcher. The session stays the caller's.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _dispatcher.Join();
        _batch.Dispose();
        // Callers that were already answered may still be returning their slots; the events
        // hold no kernel handle unless one was asked for, so disposing them is safe now.
        foreach (var r in _requests) r.Dispose();
    }

    private enum RequestState { Free, Filling, Queued, Taken, Done }

    /// <summary>One slot: its input and result buffers and the event its caller waits on.</summary>
    private sealed class Request(int index, int inputLength, int outputLength) : IDisposable
    {
        public void Dispose() => Done.Dispose();

        public readonly int Index = index;
        public readonly float[] Input = new float[inputLength];
        public readonly float[] Output = new float[outputLength];
        public readonly ManualResetEventSlim Done = new(false, 0);
        public RequestState State;
        public long EnqueuedTicks;
        public Exception? Error;
    }
}
