using Router.Abstractions;

namespace Router.Galleries.Detections;

/// <summary>
/// In-process detection cache: entries expire <c>ttl</c> after they were stored, and past
/// <c>capacity</c> the least recently used go first (each entry is ~2 KB with its embedding).
/// </summary>
public sealed class MemoryDetectionCache : IDetectionCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _lru = new();
    private readonly TimeSpan _ttl;
    private readonly int _capacity;
    private readonly TimeProvider _time;

    public MemoryDetectionCache(TimeSpan ttl, int capacity, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ttl = ttl;
        _capacity = capacity;
        _time = time ?? TimeProvider.System;
    }

    public int Count { get { lock (_gate) return _byId.Count; } }

    public ValueTask PutAsync(DetectFace detection, CancellationToken ct = default)
    {
        var id = detection.Id ?? throw new ArgumentException("a cached detection needs an id", nameof(detection));
        if (detection.Facen is null) throw new ArgumentException("a cached detection needs its facen", nameof(detection));
        var expires = _time.GetUtcNow() + _ttl;
        lock (_gate)
        {
            if (_byId.Remove(id, out var old)) _lru.Remove(old);
            _byId[id] = _lru.AddFirst(new Entry(id, detection, expires));
            while (_byId.Count > _capacity)
            {
                var last = _lru.Last!;
                _lru.RemoveLast();
                _byId.Remove(last.Value.Id);
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<DetectFace?> GetAsync(string id, CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var node)) return ValueTask.FromResult<DetectFace?>(null);
            if (node.Value.Expires <= now)
            {
                _lru.Remove(node);
                _byId.Remove(id);
                return ValueTask.FromResult<DetectFace?>(null);
            }
            _lru.Remove(node);
            _lru.AddFirst(node);
            return ValueTask.FromResult<DetectFace?>(node.Value.Detection);
        }
    }

    private sealed record Entry(string Id, DetectFace Detection, DateTimeOffset Expires);
}
