using Microsoft.Extensions.Options;

namespace Router.Host.Events;

/// <summary>
/// The full frames (JPEG) of the most recent events, for the console's "open an event": the newest
/// first, dropped oldest first once they hold more than Events:FrameMemoryBytes. The bytes are the
/// event's own photo, already encoded for the plugins, so keeping them costs memory, not work.
/// </summary>
public sealed class EventFrames(IOptions<EventsOptions> options)
{
    private readonly long _budget = options.Value.FrameMemoryBytes;
    private readonly Lock _lock = new();
    private readonly LinkedList<(ulong EventId, ReadOnlyMemory<byte> Jpeg)> _frames = new();
    private readonly Dictionary<ulong, LinkedListNode<(ulong, ReadOnlyMemory<byte>)>> _byId = [];
    private long _bytes;

    public void Keep(ulong eventId, ReadOnlyMemory<byte> jpeg)
    {
        if (jpeg.IsEmpty || jpeg.Length > _budget) return;
        lock (_lock)
        {
            if (_byId.ContainsKey(eventId)) return;
            _byId[eventId] = _frames.AddFirst((eventId, jpeg));
            _bytes += jpeg.Length;
            while (_bytes > _budget && _frames.Last is { } oldest)
            {
                _frames.RemoveLast();
                _byId.Remove(oldest.Value.EventId);
                _bytes -= oldest.Value.Jpeg.Length;
            }
        }
    }

    public ReadOnlyMemory<byte>? Find(ulong eventId)
    {
        lock (_lock) return _byId.TryGetValue(eventId, out var node) ? node.Value.Item2 : null;
    }
}
