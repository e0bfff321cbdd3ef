using System.Drawing;
using Router.Abstractions;
using Router.Host.Tracking;
using Xunit;

namespace Router.Host.Tests.Tracking;

public class BestShotSelectorTests
{
    private static readonly PointF[] NoLandmarks = new PointF[68];

    private static BestShotCandidate Candidate(long frame, float quality, int size = 100) =>
        new(null, frame, TimeSpan.FromSeconds(frame / 25.0), DateTimeOffset.UnixEpoch.AddSeconds(frame / 25.0), new BBox(0, 0, size, size), 0.9f, quality, NoLandmarks);

    private static Track NewTrack() => new(1, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, new BBox(0, 0, 100, 100));

    /// <summary>Offers one candidate every 5 stream frames (5 fps) with the given qualities, ticking first as the pipeline does, then ends the track.</summary>
    private static List<BestShot> Run(BestShotSelector selector, float[] qualities)
    {
        var track = NewTrack();
        var posts = new List<BestShot>();
        for (int i = 0; i < qualities.Length; i++)
        {
            var c = Candidate(i * 5, qualities[i]);
            selector.Tick([track], c.Time, posts);
            selector.Offer(track, c, posts);
        }
        selector.End(track, posts);
        return posts;
    }

    [Fact]
    public void Overall_posts_the_best_frame_once_when_the_track_ends()
    {
        var posts = Run(new BestShotSelector(BestShotTypes.Overall, 1, false, false), [0.5f, 0.7f, 0.9f, 0.6f, 0.8f]);
        var post = Assert.Single(posts);
        Assert.Equal(10, post.Candidate.FrameNumber);
        Assert.True(post.TrackEnded);
    }

    [Fact]
    public void On_equal_quality_the_larger_face_wins()
    {
        var selector = new BestShotSelector(BestShotTypes.Overall, 1, false, false);
        var track = NewTrack();
        var posts = new List<BestShot>();
        selector.Offer(track, Candidate(0, 0.8f, 100), posts);
        selector.Offer(track, Candidate(5, 0.8f, 140), posts);
        selector.Offer(track, Candidate(10, 0.8f, 120), posts);
        selector.End(track, posts);
        Assert.Equal(5, Assert.Single(posts).Candidate.FrameNumber);
    }

    [Fact]
    public void A_small_face_loses_to_a_larger_one_of_slightly_lower_quality()
    {
        var selector = new BestShotSelector(BestShotTypes.Overall, 1, false, false);
        var track = NewTrack();
        var posts = new List<BestShot>();
        selector.Offer(track, Candidate(0, 0.92f, 96), posts);   // score 0.92 × 96/160 = 0.55
        selector.Offer(track, Candidate(5, 0.89f, 144), posts);  // score 0.89 × 144/160 = 0.80
        selector.Offer(track, Candidate(10, 0.85f, 200), posts); // score 0.85 (full size)
        selector.Offer(track, Candidate(15, 0.80f, 400), posts); // score 0.80: bigger, but no better
        selector.End(track, posts);
        Assert.Equal(10, Assert.Single(posts).Candidate.FrameNumber);
    }

    [Fact]
    public void Realtime_every_interval_posts_the_best_of_each_interval()
    {
        // 15 frames at 5 fps = 3 s, intervals of 1 s: [0,1) [1,2) [2,3).
        float[] q = [0.5f, 0.9f, 0.6f, 0.6f, 0.6f, /**/ 0.4f, 0.4f, 0.5f, 0.4f, 0.4f, /**/ 0.7f, 0.95f, 0.7f, 0.7f, 0.7f];
        var posts = Run(new BestShotSelector(BestShotTypes.Realtime, 1, true, false), q);
        Assert.Equal(new long[] { 5, 35, 55 }, posts.Select(p => p.Candidate.FrameNumber).ToArray());
        Assert.Equal(new[] { false, false, true }, posts.Select(p => p.TrackEnded).ToArray());
    }

    [Fact]
    public void Realtime_without_every_interval_posts_only_improvements()
    {
        float[] q = [0.5f, 0.9f, 0.6f, 0.6f, 0.6f, /**/ 0.4f, 0.4f, 0.5f, 0.4f, 0.4f, /**/ 0.7f, 0.95f, 0.7f, 0.7f, 0.7f];
        var posts = Run(new BestShotSelector(BestShotTypes.Realtime, 1, false, false), q);
        Assert.Equal(new long[] { 5, 55 }, posts.Select(p => p.Candidate.FrameNumber).ToArray());
    }

    [Fact]
    public void Realtime_first_immediately_posts_the_first_face_at_once()
    {
        var selector = new BestShotSelector(BestShotTypes.Realtime, 1, true, true);
        var track = NewTrack();
        var posts = new List<BestShot>();
        selector.Offer(track, Candidate(0, 0.3f), posts);
        var first = Assert.Single(posts);
        Assert.Equal(0, first.Candidate.FrameNumber);
        selector.Offer(track, Candidate(5, 0.6f), posts);
        Assert.Single(posts);
        selector.Tick([track], TimeSpan.FromSeconds(1), posts);
        Assert.Equal(2, posts.Count);
        Assert.Equal(5, posts[1].Candidate.FrameNumber);
    }

    [Fact]
    public void A_track_without_acceptable_faces_posts_nothing()
    {
        var selector = new BestShotSelector(BestShotTypes.Overall, 1, false, false);
        var posts = new List<BestShot>();
        Assert.False(selector.End(NewTrack(), posts));
        Assert.Empty(posts);
    }
}
