namespace Router.Abstractions;

/// <summary>What the video pipeline knew about the face when it posted it.</summary>
public sealed record DetectorParams
{
    public long TrackId { get; init; }
    /// <summary>Frame number (0-based, in decoded frames of the stream) of the posted face.</summary>
    public long Frame { get; init; }
    public float DetectionScore { get; init; }
    /// <summary>Face quality score in 0..1 that won the best-shot selection.</summary>
    public float Quality { get; init; }
    public long TrackStartFrame { get; init; }
    public long? TrackEndFrame { get; init; }
    public DateTimeOffset TrackStart { get; init; }
    public DateTimeOffset? TrackEnd { get; init; }
}
