using Router.Abstractions;

namespace Router.Host.Tracking;

/// <summary>
/// The simple_iou tracker of one camera: each detection joins the live track whose last box
/// overlaps it most (IoU at least track_overlap_threshold, greedy, best pairs first) or starts
/// a new track. A track ends when it is not seen for track_miss_interval seconds, or when it
/// reaches track_max_duration_frames (the face then continues as a new track). Buffers are
/// reused between frames.
/// </summary>
public sealed class FaceTracker
{
    private readonly double _overlapThreshold;
    private readonly TimeSpan _missInterval;
    private readonly int _maxDurationFrames;
    private readonly List<Track> _live = new();
    private readonly List<(double IoU, int Track, int Detection)> _pairs = new();
    private bool[] _trackTaken = new bool[16];
    private long _nextId = 1;

    public FaceTracker(double overlapThreshold, double missIntervalSeconds, int maxDurationFrames)
    {
        _overlapThreshold = overlapThreshold;
        _missInterval = TimeSpan.FromSeconds(missIntervalSeconds);
        _maxDurationFrames = maxDurationFrames;
    }

    public IReadOnlyList<Track> Live => _live;

    /// <summary>
    /// Feeds one frame's detections. <paramref name="assigned"/>[i] receives the track of
    /// detection i; tracks that ended are appended to <paramref name="ended"/> in id order.
    /// </summary>
    public void Update(ReadOnlySpan<BBox> boxes, long frame, TimeSpan time, DateTimeOffset timestamp, Span<Track?> assigned, List<Track> ended)
    {
        if (assigned.Length < boxes.Length) throw new ArgumentException("assigned is shorter than boxes", nameof(assigned));
        assigned[..boxes.Length].Clear();
        int firstEnded = ended.Count;
        // Tracks that this frame would make longer than track_max_duration_frames end first, so the
        // face's detection in this frame starts its next track.
        if (_maxDurationFrames > 0)
            for (int t = _live.Count - 1; t >= 0; t--)
                if (frame - _live[t].StartFrame + 1 > _maxDurationFrames)
                {
                    _live[t].EndedByDuration = true;
                    ended.Add(_live[t]);
                    _live.RemoveAt(t);
                }
        if (_trackTaken.Length < _live.Count) _trackTaken = new bool[_live.Count * 2];
        Array.Clear(_trackTaken, 0, _live.Count);

        _pairs.Clear();
        for (int t = 0; t < _live.Count; t++)
            for (int d = 0; d < boxes.Length; d++)
            {
                var iou = _live[t].Box.IoU(boxes[d]);
                if (iou >= _overlapThreshold) _pairs.Add((iou, t, d));
            }
        // Best overlaps first; ties by track then detection index, so the result is deterministic.
        _pairs.Sort(static (a, b) => a.IoU != b.IoU ? b.IoU.CompareTo(a.IoU) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Detection.CompareTo(b.Detection));
        foreach (var (_, t, d) in _pairs)
        {
            if (_trackTaken[t] || assigned[d] != null) continue;
            _trackTaken[t] = true;
            assigned[d] = _live[t];
            _live[t].Hit(frame, time, timestamp, boxes[d]);
        }

        // Tracks not seen for too long.
        for (int t = _live.Count - 1; t >= 0; t--)
        {
            if (_trackTaken[t] || time - _live[t].LastTime <= _missInterval) continue;
            ended.Add(_live[t]);
            _live.RemoveAt(t);
        }
        for (int d = 0; d < boxes.Length; d++)
        {
            if (assigned[d] != null) continue;
            var track = new Track(_nextId++, frame, time, timestamp, boxes[d]);
            _live.Add(track);
            assigned[d] = track;
        }
        SortById(ended, firstEnded);
    }

    /// <summary>Ends every live track (end of stream, or a discontinuity such as a restart).</summary>
    public void EndAll(List<Track> ended)
    {
        int first = ended.Count;
        ended.AddRange(_live);
        _live.Clear();
        SortById(ended, first);
    }

    private static void SortById(List<Track> tracks, int from)
    {
        if (tracks.Count - from > 1) tracks.Sort(from, tracks.Count - from, TrackIdComparer.Instance);
    }

    private sealed class TrackIdComparer : IComparer<Track>
    {
        public static readonly TrackIdComparer Instance = new();
        public int Compare(Track? x, Track? y) => x!.Id.CompareTo(y!.Id);
    }
}
