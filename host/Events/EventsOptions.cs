namespace Router.Host.Events;

/// <summary>
/// The "Events" section: how face events from the cameras are routed to the plugins and kept
/// for the events API.
/// </summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>Face events waiting for a routing worker; when full, cameras wait (and drop frames, counted) instead of losing faces.</summary>
    public int QueueCapacity { get; set; } = 64;

    /// <summary>Routing workers: faces prepared at once (the plugins' PreprocessAsync and the feature extraction, the part that costs CPU).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// Events being routed at once, counted from preparation to publication: a worker hands a
    /// prepared face's plugin calls on and takes the next event, so a slow plugin delays only
    /// its own calls. When full, the workers wait. 32 is above what one plugin can hold
    /// (<c>Plugins:MaxConcurrentCalls</c> 4 + <c>MaxQueuedCalls</c> 16: past that its calls are
    /// dropped), so a slow plugin cannot fill it alone; each event holds its JPEG (~200 KB at
    /// 720p) meanwhile. 1 routes strictly one event after another (the replay's order).
    /// </summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>
    /// Queued events that keep their best shot's decoded frame (and landmarks) until their features are
    /// extracted, so that routing neither decodes the JPEG photo again nor reruns the landmark model;
    /// past it an event goes with its JPEG alone and routing decodes it, as it would without the frame
    /// (counted: <c>FramesNotKept</c>). A kept frame is its raw pixels: 2.7 MB at 720p, 6.2 MB at 1080p.
    /// 16 (44 MB at 720p, 100 MB at 1080p) covers the queue while the workers keep up, when it holds a
    /// few events at most; a queue deeper than that is behind anyway, and filling all of
    /// <see cref="QueueCapacity"/> with frames would hold 64 × 2.7 MB. 0 keeps none.
    /// </summary>
    public int MaxQueuedFrames { get; set; } = 16;

    /// <summary>Recent events kept in memory for GET /v1/events.</summary>
    public int RingSize { get; set; } = 1000;

    /// <summary>
    /// Memory for the full frames of recent events (GET /v1/events/{id}/frame): 64 MiB keeps the last
    /// ~300 events of 720p cameras (JPEG quality 95, about 200 KB a frame); 0 keeps none.
    /// </summary>
    public long FrameMemoryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Events buffered per stream subscriber; a subscriber that falls further behind loses the oldest (counted).</summary>
    public int SubscriberBuffer { get; set; } = 256;

    /// <summary>Seconds between SSE heartbeat comments on an idle stream.</summary>
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>Log one line per routed event (information level).</summary>
    public bool LogEvents { get; set; } = true;

    /// <summary>
    /// At stop, how long the queued events may take to be routed; those still waiting then are
    /// written to <see cref="JournalPath"/> and routed at the next start.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The journal of events a stop left unrouted (derived from DataDir: {DataDir}/events-journal.jsonl).</summary>
    public string JournalPath { get; set; } = "data/events-journal.jsonl";

    public IEnumerable<string> Problems()
    {
        if (DrainTimeout < TimeSpan.Zero || DrainTimeout > TimeSpan.FromMinutes(10)) yield return $"Events:DrainTimeout must be 0..00:10:00, not {DrainTimeout}";
        if (string.IsNullOrWhiteSpace(JournalPath)) yield return "Events:JournalPath must name a file";
        if (QueueCapacity is < 1 or > 100_000) yield return $"Events:QueueCapacity must be 1..100000, not {QueueCapacity}";
        if (Workers is < 1 or > 64) yield return $"Events:Workers must be 1..64, not {Workers}";
        if (MaxInFlight is < 1 or > 4096) yield return $"Events:MaxInFlight must be 1..4096, not {MaxInFlight}";
        if (MaxQueuedFrames is < 0 or > 4096) yield return $"Events:MaxQueuedFrames must be 0..4096, not {MaxQueuedFrames}";
        if (RingSize is < 1 or > 1_000_000) yield return $"Events:RingSize must be 1..1000000, not {RingSize}";
        if (SubscriberBuffer is < 1 or > 100_000) yield return $"Events:SubscriberBuffer must be 1..100000, not {SubscriberBuffer}";
        if (FrameMemoryBytes < 0) yield return $"Events:FrameMemoryBytes must be 0 or more, not {FrameMemoryBytes}";
        if (HeartbeatSeconds is < 0.05 or > 3600) yield return $"Events:HeartbeatSeconds must be 0.05..3600, not {HeartbeatSeconds}";
    }
}
