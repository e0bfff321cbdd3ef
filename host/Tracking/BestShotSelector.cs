using Router.Abstractions;

namespace Router.Host.Tracking;

/// <summary>
/// Picks what to post for each track, with FindFace's semantics:
/// <list type="bullet">
/// <item>overall: keep the best face of the track (<see cref="BestShotCandidate.Score"/>: quality scaled by size) and post it once, when the track ends
/// (by miss, end of stream, or track_max_duration_frames).</item>
/// <item>realtime: post the best face of every realtime_post_interval seconds of the track. With
/// realtime_post_every_interval off, an interval's best is posted only when it beats everything posted
/// for the track so far (snapshots of increasing quality); realtime_post_first_immediately posts the
/// track's first acceptable face at once.</item>
/// </list>
/// Only the best candidate is kept per track; losers are released straight away. Posted candidates
/// pass to the caller, who releases them after publishing.
/// </summary>
public sealed class BestShotSelector
{
    private readonly bool _realtime;
    private readonly TimeSpan _interval;
    private readonly bool _everyInterval;
    private readonly bool _firstImmediately;

    public BestShotSelector(string bsType, double realtimePostInterval, bool realtimePostEveryInterval, bool realtimePostFirstImmediately)
    {
        _realtime = bsType == BestShotTypes.Realtime;
        _interval = TimeSpan.FromSeconds(realtimePostInterval);
        _everyInterval = realtimePostEveryInterval;
        _firstImmediately = realtimePostFirstImmediately;
    }

    public string BsType => _realtime ? BestShotTypes.Realtime : BestShotTypes.Overall;

    /// <summary>A face of the track that passed the filters. Takes ownership of <paramref name="candidate"/>.</summary>
    public void Offer(Track track, BestShotCandidate candidate, List<BestShot> posts)
    {
        if (_realtime && _firstImmediately && track.Posts == 0 && track.Best == null)
        {
            track.IntervalStart = candidate.Time;
            Post(track, candidate, ended: false, posts);
            return;
        }
        if (candidate.IsBetterThan(track.Best))
        {
            track.Best?.Release();
            track.Best = candidate;
        }
        else candidate.Release();
    }

    /// <summary>Closes realtime intervals that are over at <paramref name="now"/> for every live track.</summary>
    public void Tick(IReadOnlyList<Track> live, TimeSpan now, List<BestShot> posts)
    {
        if (!_realtime) return;
        for (int i = 0; i < live.Count; i++)
        {
            var track = live[i];
            if (now - track.IntervalStart < _interval) continue;
            CloseInterval(track, ended: false, posts);
            // Next interval starts at the boundary that contains now: intervals stay aligned to the track start.
            var elapsed = now - track.IntervalStart;
            track.IntervalStart += TimeSpan.FromTicks(elapsed.Ticks / _interval.Ticks * _interval.Ticks);
        }
    }

    /// <summary>The track ended: posts what is pending. Returns false when the track never posted anything (faces_not_posted).</summary>
    public bool End(Track track, List<BestShot> posts)
    {
        CloseInterval(track, ended: true, posts);
        track.Best?.Release();
        track.Best = null;
        return track.Posts > 0;
    }

    private void CloseInterval(Track track, bool ended, List<BestShot> posts)
    {
        var best = track.Best;
        if (best == null) return;
        track.Best = null;
        if (!_realtime || _everyInterval || best.Score > track.PostedScore)
            Post(track, best, ended, posts);
        else
            best.Release();
    }

    private static void Post(Track track, BestShotCandidate candidate, bool ended, List<BestShot> posts)
    {
        track.Posts++;
        track.PostedScore = Math.Max(track.PostedScore, candidate.Score);
        posts.Add(new BestShot(track, candidate, ended));
    }
}
