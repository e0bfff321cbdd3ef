using Microsoft.Extensions.Options;
using Router.Abstractions;

namespace Router.Host.Decoding;

/// <summary>
/// The room that decodes share: at most <see cref="DecodingOptions.ConcurrentDecodes"/> at once
/// and at most <see cref="DecodingOptions.MaxTotalDecodeBytes"/> of decode memory together, each
/// decode counted at its header's estimate. A request that does not fit waits its turn (first
/// come, first served, so a big picture is not starved by small ones) for a bounded time in a
/// bounded queue; past either bound it gets OVER_CAPACITY (503 with Retry-After), so that a
/// burst of small files claiming huge pictures cannot take the process's memory.
/// </summary>
public sealed class DecodeBudget(IOptions<DecodingOptions> options)
{
    private readonly DecodingOptions _options = options.Value;
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _queue = new();
    private int _running;
    private long _bytes;

    public int Running { get { lock (_gate) return _running; } }
    public long Bytes { get { lock (_gate) return _bytes; } }
    public int Queued { get { lock (_gate) return _queue.Count; } }

    public async ValueTask<DecodeLease> EnterAsync(long bytes, CancellationToken ct)
    {
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_queue.Count == 0 && Fits(bytes)) return Take(bytes);
            if (_queue.Count >= _options.MaxQueuedDecodes) throw Full(bytes);
            node = _queue.AddLast(new Waiter(bytes));
        }
        try
        {
            await node.Value.Granted.Task.WaitAsync(_options.QueueTimeout, ct).ConfigureAwait(false);
            return new DecodeLease(this, bytes);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                // Granted in the meantime: the room is ours, so give it back before leaving.
                if (node.List is null) Release(bytes);
                else _queue.Remove(node);
            }
            if (e is TimeoutException) throw Full(bytes);
            throw;
        }
    }

    internal void Release(long bytes)
    {
        lock (_gate)
        {
            _running--;
            _bytes -= bytes;
            while (_queue.First is { } first && Fits(first.Value.Bytes))
            {
                _queue.RemoveFirst();
                Take(first.Value.Bytes);
                first.Value.Granted.TrySetResult();
            }
        }
    }

    private bool Fits(long bytes) => _running < _options.ConcurrentDecodes && _bytes + bytes <= _options.MaxTotalDecodeBytes;

    private DecodeLease Take(long bytes)
    {
        _running++;
        _bytes += bytes;
        return new DecodeLease(this, bytes);
    }

    private RouterException Full(long bytes) => new(ErrorCodes.OverCapacity,
        $"too many images are being decoded ({_running} running with {_bytes >> 20} MiB of the {_options.MaxTotalDecodeBytes >> 20} MiB decode budget, " +
        $"{_queue.Count} waiting; this one needs {(bytes + (1 << 20) - 1) >> 20} MiB): retry later");

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
