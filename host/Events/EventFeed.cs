using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Router.Host.Events;

/// <summary>
/// The recent routed events: a bounded in-memory ring (oldest out first) that the events API
/// queries, and live subscribers (server-sent events). Publishing never waits on a subscriber:
/// each has its own bounded buffer, and a subscriber that falls behind loses its oldest
/// events, which are counted on it.
/// </summary>
public sealed class EventFeed
{
    private readonly object _lock = new();
    private readonly RoutedEvent?[] _ring;
    private readonly int _subscriberBuffer;
    private readonly List<EventSubscription> _subscribers = new();
    private int _next;      // ring slot the next event goes to
    private int _count;     // events in the ring
    private long _published;

    public EventFeed(IOptions<EventsOptions> options)
    {
        _ring = new RoutedEvent?[options.Value.RingSize];
        _subscriberBuffer = options.Value.SubscriberBuffer;
    }

    /// <summary>In a cluster, this node's name, stamped on the events it routes (<see cref="RoutedEvent.Node"/>).</summary>
    public string? Origin { get; set; }

    /// <summary>
    /// Raised for every event this node routed (not for those of other nodes, <see cref="PublishRemote"/>), on the
    /// routing worker: a handler must hand the event off without waiting (the cluster's fan-out queues it).
    /// </summary>
    public event Action<RoutedEvent>? Routed;

    /// <summary>Events published since start (including those that left the ring).</summary>
    public long Published => Interlocked.Read(ref _published);

    public int Subscribers { get { lock (_lock) return _subscribers.Count; } }

    public void Publish(RoutedEvent e)
    {
        if (Origin is not null) e = e with { Node = Origin };
        Add(e);
        Routed?.Invoke(e);
    }

    /// <summary>An event another node of the cluster routed: into the ring and to the subscribers, not raised again.</summary>
    public void PublishRemote(RoutedEvent e) => Add(e);

    private void Add(RoutedEvent e)
    {
        EventSubscription[] subscribers;
        lock (_lock)
        {
            _ring[_next] = e;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length) _count++;
            _published++;
            subscribers = _subscribers.Count == 0 ? [] : _subscribers.ToArray();
        }
        foreach (var s in subscribers) s.Offer(e);
    }

    /// <summary>
    /// Recent events, newest first (by the time the face was seen, then by id), optionally of one
    /// camera, not older than <paramref name="since"/> and not newer than <paramref name="until"/>. Workers finish in any order, so the
    /// ring is sorted here rather than trusted.
    /// </summary>
    public IReadOnlyList<RoutedEvent> Recent(string? camId, DateTimeOffset? since, int limit, DateTimeOffset? until = null)
    {
        var matches = new List<RoutedEvent>();
        lock (_lock)
        {
            for (int i = 1; i <= _count; i++)
            {
                var e = _ring[(_next - i + _ring.Length) % _ring.Length]!;
                if (camId is not null && e.CamId != camId) continue;
                if (since is not null && e.Timestamp < since) continue;
                if (until is not null && e.Timestamp > until) continue;
                matches.Add(e);
            }
        }
        return matches.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.EventId).Take(limit).ToList();
    }

    /// <summary>The event with this id while it is still in the ring.</summary>
    public RoutedEvent? Find(ulong eventId)
    {
        lock (_lock)
        {
            for (int i = 1; i <= _count; i++)
            {
                var e = _ring[(_next - i + _ring.Length) % _ring.Length]!;
                if (e.EventId == eventId) return e;
            }
        }
        return null;
    }

    /// <summary>A live subscription to events published from now on; dispose it to leave.</summary>
    public EventSubscription Subscribe(string? camId = null)
    {
        var subscription = new EventSubscription(this, camId, _subscriberBuffer);
        lock (_lock) _subscribers.Add(subscription);
        return subscription;
    }

    internal void Remove(EventSubscription subscription)
    {
        lock (_lock) _subscribers.Remove(subscription);
    }
}
