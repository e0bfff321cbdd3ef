using Router.Abstractions;

namespace Router.Host.Pipeline;

/// <summary>
/// A best shot leaving the video pipeline: the <see cref="FaceRequest"/> the router and its
/// plugins see, its unique event id, and track bookkeeping.
/// </summary>
public sealed record FaceEvent
{
    /// <summary>Unique 64-bit id (deterministic in replay).</summary>
    public required ulong EventId { get; init; }
    public required FaceRequest Request { get; init; }
    public long TrackId => Request.DetectorParams.TrackId;
    /// <summary>True for the last event of the track (overall: the only one).</summary>
    public bool TrackEnded { get; init; }
    /// <summary><see cref="System.Diagnostics.Stopwatch"/> ticks when the posted frame came off ffmpeg's pipe.</summary>
    public long FrameReceivedTicks { get; init; }
    /// <summary>Stopwatch ticks when the frame whose processing produced this event came off the pipe.</summary>
    public long TriggerReceivedTicks { get; init; }
    /// <summary>
    /// The best shot's decoded frame and landmarks, from the video pipeline; null for events without
    /// (the journal's, the API's, tests'). Lent for the duration of <see cref="IFaceEventSink.PublishAsync"/>
    /// only: a sink that needs them later takes its own holder with <see cref="BestShotPixels.Keep"/>.
    /// </summary>
    public BestShotPixels? Pixels { get; init; }
}
