namespace Router.Host.Routing;

/// <summary>
/// The one set of counters of the routing path, from a camera's post to the plugins' answers:
/// events accepted onto the queue, routed (every plugin asked, whether or not one wanted the face),
/// failed, refused while stopping, journaled and replayed across a restart, routed from their JPEG for want of a kept frame; and among the routed,
/// faces no plugin wanted, extraction failures and faces the router refused while stopping.
/// The event queue (<c>FaceEventRouter</c>) and the plugin fan-out (<see cref="FaceRouter"/>) write
/// here; the API (<c>/v1/events</c>, <c>/v1/plugins</c>) and <c>/metrics</c> read here.
/// </summary>
public sealed class RoutingCounters
{
    private long _accepted, _routed, _failed, _refused, _journaled, _replayed, _unwanted, _extractionErrors, _rejected, _framesNotKept;

    public long Accepted => Interlocked.Read(ref _accepted);
    /// <summary>Events whose routing completed: every plugin was asked, and those that wanted the face processed it.</summary>
    public long Routed => Interlocked.Read(ref _routed);
    /// <summary>Events whose routing threw (extraction error, router stopping); they are still published, with their error.</summary>
    public long Failed => Interlocked.Read(ref _failed);
    /// <summary>Events refused because the host was stopping (the camera counts them in faces_failed).</summary>
    public long Refused => Interlocked.Read(ref _refused);
    /// <summary>Events a stop left unrouted and wrote to the journal.</summary>
    public long Journaled => Interlocked.Read(ref _journaled);
    /// <summary>Events taken from the journal at start and queued again.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);
    /// <summary>Routed faces no plugin asked for (no features extracted).</summary>
    public long Unwanted => Interlocked.Read(ref _unwanted);
    /// <summary>Faces whose requested features could not be extracted (their events failed).</summary>
    public long ExtractionErrors => Interlocked.Read(ref _extractionErrors);
    /// <summary>Faces the plugin fan-out refused because it was stopping (their events failed).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>
    /// Events that came with their decoded frame but went on with their JPEG alone because
    /// <c>Events:MaxQueuedFrames</c> frames were kept already: routing decodes the photo and reruns the landmarks.
    /// </summary>
    public long FramesNotKept => Interlocked.Read(ref _framesNotKept);

    internal void OnFrameNotKept() => Interlocked.Increment(ref _framesNotKept);
    internal void OnJournaled(int count) => Interlocked.Add(ref _journaled, count);
    internal void OnReplayed() => Interlocked.Increment(ref _replayed);
    internal void OnAccepted() => Interlocked.Increment(ref _accepted);
    internal void OnNotAccepted() => Interlocked.Decrement(ref _accepted);
    internal void OnRouted() => Interlocked.Increment(ref _routed);
    internal void OnFailed() => Interlocked.Increment(ref _failed);
    internal void OnRefused() => Interlocked.Increment(ref _refused);
    internal void OnUnwanted() => Interlocked.Increment(ref _unwanted);
    internal void OnExtractionError() => Interlocked.Increment(ref _extractionErrors);
    internal void OnRejected() => Interlocked.Increment(ref _rejected);
}
