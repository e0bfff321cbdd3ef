using System.Collections.Concurrent;

namespace Router.Host.Plugins;

/// <summary>
/// What plugins said about the events they processed (<see cref="Abstractions.IPluginContext.Annotate"/>),
/// held until the event is published with it. Bounded: annotations of events that are never
/// published (ids a plugin made up, events of a replay without a feed) are dropped after a minute
/// once more than <see cref="Capacity"/> events hold some.
/// </summary>
public sealed class EventAnnotations(TimeProvider? time = null)
{
    public const int Capacity = 10_000;
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<ulong, (long Added, ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> ByPlugin)> _events = new();

    public void Add(ulong eventId, string plugin, IReadOnlyDictionary<string, string> annotation)
    {
        if (_events.Count >= Capacity) Trim();
        var entry = _events.GetOrAdd(eventId, _ => (_time.GetTimestamp(), new ConcurrentDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)));
        entry.ByPlugin[plugin] = new Dictionary<string, string>(annotation, StringComparer.Ordinal);
    }

    /// <summary>The annotations of an event by plugin name, removed from here; null when none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Take(ulong eventId) =>
        _events.TryRemove(eventId, out var entry) ? entry.ByPlugin : null;

    private void Trim()
    {
        foreach (var (id, entry) in _events)
            if (_time.GetElapsedTime(entry.Added) > MaxAge) _events.TryRemove(id, out _);
    }
}
