using System.Diagnostics;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Host.Tests.Ingest;
using Router.Host.Tests.Replay;
using Router.Models.Imaging;
using Router.Tests.Common;
using Router.Tests.Common.Servers;
using Router.Tests.Common.Video;
using Xunit;
using Xunit.Abstractions;

namespace Router.Host.Tests.Rtsp;

/// <summary>
/// Faces over RTSP/TCP, as real IP cameras serve them: a clip made from a sample photo (its people
/// known) is sent by ffmpeg as RTP to a relay mount of GStreamer's RTSP server, and a camera with
/// rtsp_transport tcp runs the whole pipeline on it with the real analyzer. The server, or the
/// publisher behind it, is then killed and restarted (same ports) under the running camera, which
/// must reconnect by itself: events resume from new tracks.
/// </summary>
public class RtspTcpFaceEventTests(AnalyzerFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyzerFixture>
{
    private const string Photo = "sample1.jpg";
    private const string CamId = "gate";

    // Realtime best shots every 0.5 s so that events keep coming while the stream runs; the quality
    // filter is off so that every person posts. Short time-outs so that a dead server is noticed fast.
    private static readonly CameraSettings Settings = new()
    {
        RtspTransport = "tcp", StallTimeout = 2, FirstFrameTimeout = 5, RestartMinDelay = 0.2, RestartMaxDelay = 1, DetectFps = 5,
        BsType = BestShotTypes.Realtime, RealtimePostInterval = 0.5, RealtimePostEveryInterval = true,
        FilterMinQuality = 0, FilterMinSize = 40, Labels = new Dictionary<string, string> { ["zone"] = "entrance" },
    };

    [Fact]
    public async Task Faces_served_over_tcp_arrive_as_events_with_frame_and_aligned_face()
    {
        await using var run = await GstRelayCamera.StartAsync(await TestVideos.StillAsync(Photo, 3), CamId, Settings, fixture.Analyzer);
        var people = SamplePhotos.FaceCounts[Photo];
        Assert.True(await IngestHarness.WaitForAsync(() => DistinctTracks(run.Sink.Events) >= people, TimeSpan.FromSeconds(30)),
            $"events: {run.Sink.Events.Count}, stats: {run.Pipeline.Statistics.Snapshot()}");
        await run.StopAsync();

        var events = run.Sink.Events.ToList();
        Assert.All(events, AssertWellFormed);
        // Tracks may split (a frame dropped under load), but the faces are where the photo's people are.
        Assert.Equal(people, Places(events));
        var stats = run.Pipeline.Statistics.Snapshot();
        Assert.Equal(stats.FacesPosted, events.Count);
        Assert.Equal((TestVideos.Width, TestVideos.Height), (stats.FrameWidth, stats.FrameHeight));
    }

    [Fact]
    public async Task Faces_resume_after_the_server_is_killed_and_restarted_on_the_same_port()
    {
        await using var run = await GstRelayCamera.StartAsync(await TestVideos.StillAsync(Photo, 3), CamId, Settings, fixture.Analyzer);
        await AssertEventsResumeAsync(run, "the server", () => run.Server.Stop(), () => run.Server.StartAsync());
        Assert.NotNull(run.Pipeline.Statistics.Snapshot().LastError);
    }

    [Fact]
    public async Task Faces_resume_after_the_publisher_behind_the_mount_dies_and_comes_back()
    {
        // The server stays up and keeps the TCP session, but no more RTP comes: the camera's stall
        // watchdog must end the run and keep retrying until the stream is back.
        await using var run = await GstRelayCamera.StartAsync(await TestVideos.StillAsync(Photo, 3), CamId, Settings, fixture.Analyzer);
        await AssertEventsResumeAsync(run, "the publisher", () => run.Publisher.Stop(), () => run.Publisher.StartAsync());
    }

    /// <summary>
    /// Events from every person, then <paramref name="stop"/>: the camera must notice (a new ffmpeg
    /// start), and after <paramref name="start"/> every person must come back in new tracks with
    /// well-formed events. A new run ends every track, so new track ids are from after the restart.
    /// </summary>
    private async Task AssertEventsResumeAsync(GstRelayCamera run, string what, Action stop, Func<Task> start)
    {
        var people = SamplePhotos.FaceCounts[Photo];
        Assert.True(await IngestHarness.WaitForAsync(() => DistinctTracks(run.Sink.Events) >= people, TimeSpan.FromSeconds(30)),
            $"no events before {what} stopped: {run.Pipeline.Statistics.Snapshot()}");

        var startsBefore = run.Pipeline.Statistics.JobStarts;
        stop();
        Assert.True(await IngestHarness.WaitForAsync(() => run.Pipeline.Statistics.JobStarts > startsBefore, TimeSpan.FromSeconds(10)),
            $"the camera did not notice {what} stopped: {run.Pipeline.Statistics.Snapshot()}");
        var before = run.Sink.Events.Select(e => e.TrackId).ToHashSet();

        await start();
        var restarted = Stopwatch.StartNew();
        Assert.True(await IngestHarness.WaitForAsync(() => DistinctTracks(run.Sink.Events.Where(e => !before.Contains(e.TrackId))) >= people, TimeSpan.FromSeconds(30)),
            $"events did not resume after {what} came back: {run.Pipeline.Statistics.Snapshot()}");
        output.WriteLine($"all {people} people back {restarted.Elapsed.TotalSeconds:F1} s after {what} restarted");
        await run.StopAsync();

        var after = run.Sink.Events.Where(e => !before.Contains(e.TrackId)).ToList();
        Assert.All(after, AssertWellFormed);
        Assert.Equal(people, Places(after));
    }

    private static int DistinctTracks(IEnumerable<FaceEvent> events) => events.Select(e => e.TrackId).Distinct().Count();

    private static void AssertWellFormed(FaceEvent e)
    {
        var r = e.Request;
        Assert.Equal(CamId, r.CamId);
        Assert.Equal(BestShotTypes.Realtime, r.BsType);
        Assert.Equal("entrance", r.Labels["zone"]);
        Assert.InRange(r.BBox.Left, 0, TestVideos.Width - 1);
        Assert.InRange(r.BBox.Top, 0, TestVideos.Height - 1);
        Assert.InRange(r.BBox.Right, r.BBox.Left + 1, TestVideos.Width);
        Assert.InRange(r.BBox.Bottom, r.BBox.Top + 1, TestVideos.Height);
        Assert.Equal((TestVideos.Width, TestVideos.Height), JpegCodec.ReadSize(r.Photo.Span));
        Assert.Equal((112, 112), JpegCodec.ReadSize(r.Face0.Span));
    }

    /// <summary>
    /// How many places in the frame faces were seen at: box centres closer than half a box width
    /// are one place. The photo is still, so a person is one place whatever the tracks did.
    /// </summary>
    private static int Places(IEnumerable<FaceEvent> events)
    {
        var places = new List<(double X, double Y, double Size)>();
        foreach (var b in events.Select(e => e.Request.BBox))
        {
            double x = (b.Left + b.Right) / 2.0, y = (b.Top + b.Bottom) / 2.0, size = b.Right - b.Left;
            if (!places.Any(p => Math.Abs(p.X - x) < p.Size / 2 && Math.Abs(p.Y - y) < p.Size / 2)) places.Add((x, y, size));
        }
        return places.Count;
    }
}
