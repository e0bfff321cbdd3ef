using System.Drawing;
using Router.Abstractions;
using Router.Host.Ingest;

namespace Router.Host.Tracking;

/// <summary>
/// A face that passed the filters and may become a track's best shot. It holds a reference
/// on its frame (no pixel copy: the frame is shared with other tracks seen in it) and a copy
/// of the 68 landmarks for alignment; <see cref="Release"/> lets the frame go back to the pool.
/// </summary>
public sealed class BestShotCandidate
{
    public BestShotCandidate(VideoFrame? frame, long frameNumber, TimeSpan time, DateTimeOffset timestamp, BBox box, float detectionScore, float quality, ReadOnlySpan<PointF> landmarks)
    {
        Frame = frame?.AddRef();
        FrameNumber = frameNumber;
        Time = time;
        Timestamp = timestamp;
        Box = box;
        DetectionScore = detectionScore;
        Quality = quality;
        Landmarks = landmarks.ToArray();
    }

    /// <summary>Null in tests of the selection logic that have no pixels.</summary>
    public VideoFrame? Frame { get; private set; }
    public long FrameNumber { get; }
    public TimeSpan Time { get; }
    public DateTimeOffset Timestamp { get; }
    public BBox Box { get; }
    public float DetectionScore { get; }
    public float Quality { get; }
    public PointF[] Landmarks { get; }

    /// <summary>Higher quality wins; on a tie, the larger face.</summary>
    public bool IsBetterThan(BestShotCandidate? other) =>
        other is null || Quality > other.Quality || (Quality == other.Quality && Box.Area > other.Box.Area);

    public void Release()
    {
        Frame?.Release();
        Frame = null;
    }
}
