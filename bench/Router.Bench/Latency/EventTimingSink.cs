using System.Diagnostics;
using Router.Host.Pipeline;

namespace Router.Bench;

/// <summary>
/// Put in front of the host's event sink by the latency benchmark: records when each face event left
/// its camera's pipeline (the "first event" of a track is the first of these), with the Stopwatch
/// times the pipeline stamped on it, then hands it on unchanged.
/// </summary>
internal sealed class EventTimingSink(IFaceEventSink next) : IFaceEventSink
{
    private readonly Lock _lock = new();
    private readonly List<TimedEvent> _events = [];

    public IReadOnlyList<TimedEvent> Events { get { lock (_lock) return _events.ToArray(); } }

    public ValueTask PublishAsync(FaceEvent e, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock) _events.Add(new TimedEvent(e.EventId, e.Request.CamId, e.TrackId, e.FrameReceivedTicks, e.TriggerReceivedTicks, now));
        return next.PublishAsync(e, ct);
    }
}

/// <summary>A face event as the benchmark saw it leave the pipeline; ticks are Stopwatch ticks.</summary>
internal sealed record TimedEvent(ulong EventId, string CamId, long TrackId, long FrameReceivedTicks, long TriggerReceivedTicks, long PublishedTicks);
