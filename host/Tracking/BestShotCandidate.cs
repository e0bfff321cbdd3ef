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
        Score = ScoreOf(quality, box);
    }

    /// <summary>
    /// Face size (box side, pixels) from which a bigger face no longer helps: the detector box
    /// is about 1.4× the 112×112 aligned face, so beyond ~160 px the aligned face is downscaled.
    /// </summary>
    public const float FullSize = 160;

    /// <summary>
    /// The best-shot ranking: the quality score scaled down for faces smaller than
    /// <see cref="FullSize"/>. The quality model alone barely depends on size (measured: 0.92 at
    /// 97 px, 0.89 at 144 px of the same face), while recognition clearly does.
    /// </summary>
    public static float ScoreOf(float quality, BBox box) => quality * Math.Min(1f, Math.Max(box.Width, box.Height) / FullSize);

    /// <summary>What the best shot is chosen by: <see cref="ScoreOf"/>.</summary>
    public float Score { get; }

    /// <summary>Null in tests of the selection logic that have no pixels.</summary>
    public VideoFrame? Frame { get; private set; }
    public long FrameNumber { get; }
    public TimeSpan Time { get; }
    public DateTimeOffset Timestamp { get; }
    public BBox Box { get; }
    public float DetectionScore { get; }
    public float Quality { get; }
    public PointF[] Landmarks { get; }

    /// <summary>Higher <see cref="Score"/> wins; on a tie, the larger face.</summary>
    public bool IsBetterThan(BestShotCandidate? other) =>
        other is null || Score > other.Score || (Score == other.Score && Box.Area > other.Box.Area);

    public void Release()
    {
        Frame?.Release();
        Frame = null;
    }
}
