using Router.Abstractions;
using Router.Host.Ingest;

namespace Router.Host.Tracking;

/// <summary>One face followed across frames by <see cref="FaceTracker"/>, with its best-shot state.</summary>
public sealed class Track
{
    public Track(long id, long startFrame, TimeSpan startTime, DateTimeOffset startTimestamp, BBox box)
    {
        Id = id;
        StartFrame = startFrame;
        StartTime = startTime;
        StartTimestamp = startTimestamp;
        LastFrame = startFrame;
        LastTime = startTime;
        LastTimestamp = startTimestamp;
        Box = box;
        Hits = 1;
        IntervalStart = startTime;
    }

    /// <summary>Stable for the life of the track, unique per camera (1, 2, 3 ...).</summary>
    public long Id { get; }
    public long StartFrame { get; }
    public TimeSpan StartTime { get; }
    public DateTimeOffset StartTimestamp { get; }
    /// <summary>The last frame the face was detected in.</summary>
    public long LastFrame { get; private set; }
    public TimeSpan LastTime { get; private set; }
    public DateTimeOffset LastTimestamp { get; private set; }
    public BBox Box { get; private set; }
    /// <summary>Frames in which the face was detected.</summary>
    public int Hits { get; private set; }
    /// <summary>Set when the track ended because it reached track_max_duration_frames.</summary>
    public bool EndedByDuration { get; internal set; }

    // Best-shot state, owned by BestShotSelector.
    /// <summary>overall: the best shot so far; realtime: the best of the current interval.</summary>
    internal BestShotCandidate? Best { get; set; }
    internal TimeSpan IntervalStart { get; set; }
    internal float PostedScore { get; set; } = float.NegativeInfinity;
    public int Posts { get; internal set; }
    /// <summary>Why this track's latest face was filtered out (size, roi, quality); what faces_not_posted counts it under.</summary>
    public FaceRejection LastRejection { get; internal set; }

    internal void Hit(long frame, TimeSpan time, DateTimeOffset timestamp, BBox box)
    {
        LastFrame = frame;
        LastTime = time;
        LastTimestamp = timestamp;
        Box = box;
        Hits++;
    }
}
