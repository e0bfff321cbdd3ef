namespace Router.Host.Events;

/// <summary>What happened to the face events the cameras posted: accepted, routed, failed to route, refused while stopping.</summary>
public sealed class FaceEventRouterCounters
{
    private long _accepted, _routed, _failed, _refused, _journaled, _replayed;

    public long Accepted => Interlocked.Read(ref _accepted);
    public long Routed => Interlocked.Read(ref _routed);
    /// <summary>Events whose routing threw (extraction error, router stopping); they are still published, with their error.</summary>
    public long Failed => Interlocked.Read(ref _failed);
    /// <summary>Events refused because the host was stopping (the camera counts them in faces_failed).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Events a stop left unrouted and wrote to the journal.</summary>
    public long Journaled => Interlocked.Read(ref _journaled);
    /// <summary>Events taken from the journal at start and queued again.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    internal void OnJournaled(int count) => Interlocked.Add(ref _journaled, count);
    internal void OnReplayed() => Interlocked.Increment(ref _replayed);
    internal void OnAccepted() => Interlocked.Increment(ref _accepted);
    internal void OnNotAccepted() => Interlocked.Decrement(ref _accepted);
    internal void OnRouted() => Interlocked.Increment(ref _routed);
    internal void OnFailed() => Interlocked.Increment(ref _failed);
    internal void OnRefused() => Interlocked.Increment(ref _refused);
}
