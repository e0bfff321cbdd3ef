using Router.Abstractions;
using Router.Host.Tracking;
using Xunit;

namespace Router.Host.Tests.Tracking;

public class FaceTrackerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    /// <summary>Feeds frames at 5 fps (frame numbers at 25 fps) and returns the track id of every detection.</summary>
    private static (List<long[]> Ids, List<Track> Ended) Run(FaceTracker tracker, IEnumerable<BBox[]> frames, bool endAll = true)
    {
        var ids = new List<long[]>();
        var ended = new List<Track>();
        var assigned = new Track?[16];
        int i = 0;
        foreach (var boxes in frames)
        {
            var time = TimeSpan.FromSeconds(i * 0.2);
            tracker.Update(boxes, i * 5, time, T0 + time, assigned, ended);
            ids.Add(assigned.Take(boxes.Length).Select(t => t!.Id).ToArray());
            i++;
        }
        if (endAll) tracker.EndAll(ended);
        return (ids, ended);
    }

    private static BBox Box(int x, int y, int size = 100) => new(x, y, x + size, y + size);

    [Fact]
    public void Moving_faces_keep_their_ids()
    {
        // Two faces moving 20 px a frame in opposite directions, well apart.
        var frames = Enumerable.Range(0, 20).Select(i => new[] { Box(100 + 20 * i, 100), Box(900 - 20 * i, 400) });
        var (ids, ended) = Run(new FaceTracker(0.25, 1, 0), frames);
        Assert.All(ids, f => Assert.Equal(new long[] { 1, 2 }, f));
        Assert.Equal(2, ended.Count);
        Assert.Equal(20, ended[0].Hits);
        Assert.Equal(0, ended[0].StartFrame);
        Assert.Equal(95, ended[0].LastFrame);
    }

    [Fact]
    public void Detection_order_does_not_change_ids()
    {
        var frames = Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? new[] { Box(100 + 10 * i, 100), Box(600, 100) } : new[] { Box(600, 100), Box(100 + 10 * i, 100) });
        var (ids, _) = Run(new FaceTracker(0.25, 1, 0), frames);
        for (int i = 0; i < ids.Count; i++)
            Assert.Equal(i % 2 == 0 ? new long[] { 1, 2 } : new long[] { 2, 1 }, ids[i]);
    }

    [Fact]
    public void A_jump_beyond_the_overlap_threshold_starts_a_new_track()
    {
        var frames = new[] { new[] { Box(100, 100) }, new[] { Box(100, 100) }, new[] { Box(180, 100) } }; // IoU of the jump = 20/180 = 0.11
        var (ids, _) = Run(new FaceTracker(0.25, 1, 0), frames);
        Assert.Equal(new long[] { 1, 1, 2 }, ids.Select(f => f[0]).ToArray());
    }

    [Fact]
    public void A_short_miss_keeps_the_track_and_a_long_one_ends_it()
    {
        // Seen, missing for 3 frames (0.6 s < 1 s), seen again, then missing for 6 frames (1.2 s).
        var seen = new[] { Box(100, 100) };
        var none = Array.Empty<BBox>();
        var frames = new[] { seen, none, none, none, seen, none, none, none, none, none, none, seen };
        var tracker = new FaceTracker(0.25, 1, 0);
        var (ids, ended) = Run(tracker, frames, endAll: false);
        Assert.Equal(1, ids[4][0]);
        Assert.Single(ended);
        Assert.Equal(1, ended[0].Id);
        Assert.Equal(20, ended[0].LastFrame);
        Assert.Equal(2, ids[11][0]);
    }

    [Fact]
    public void Max_duration_ends_the_track_and_the_face_continues_as_a_new_one()
    {
        var frames = Enumerable.Range(0, 10).Select(_ => new[] { Box(100, 100) });
        // 25 stream frames = 5 processed frames at 5 of 25 fps.
        var (ids, ended) = Run(new FaceTracker(0.25, 1, 25), frames);
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 2, 2, 2, 2, 2 }, ids.Select(f => f[0]).ToArray());
        Assert.True(ended[0].EndedByDuration);
        Assert.Equal(20, ended[0].LastFrame);
    }

    [Fact]
    public void Each_track_takes_at_most_one_detection()
    {
        // Two overlapping detections of one previous face: the better overlap joins, the other starts a track.
        var frames = new[] { new[] { Box(100, 100) }, new[] { Box(110, 100), Box(140, 100) } };
        var (ids, _) = Run(new FaceTracker(0.25, 1, 0), frames);
        Assert.Equal(new long[] { 1, 2 }, ids[1]);
    }
}
