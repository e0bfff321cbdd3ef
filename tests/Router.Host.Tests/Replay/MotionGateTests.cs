using Microsoft.Extensions.Logging.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Replay;

/// <summary>
/// The motion gate: with no live track and a still picture the detector runs once a second of stream
/// time instead of on every processed frame, and a face that appears is still detected on the frame it
/// appears in, with the same tracks and events as without the gate.
/// </summary>
public sealed class MotionGateTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    private async Task<(ReplayResult Result, CollectingFaceEventSink Sink)> ReplayAsync(string clip, double gateInterval)
    {
        var sink = new CollectingFaceEventSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var settings = CameraSettings.Default with { DisableDrops = true, MotionGateInterval = gateInterval };
        var result = await VideoReplay.RunAsync(clip, "gate", settings, fixture.Analyzer, sink, NullLogger.Instance, cts.Token);
        return (result, sink);
    }

    [Fact]
    public async Task A_still_empty_scene_runs_the_detector_once_a_second()
    {
        var clip = await TestVideos.BlackAsync(4);
        var (gated, _) = await ReplayAsync(clip, 1);
        var (ungated, _) = await ReplayAsync(clip, 0);

        // 4 s at detect_fps 5: 20 processed frames, the detector on those at 0, 1, 2 and 3 s.
        Assert.Equal(20, gated.Statistics.FramesProcessed);
        Assert.InRange(gated.Statistics.DetectionsSkipped, 15, 16);
        Assert.Equal(0, ungated.Statistics.DetectionsSkipped);
    }

    [Fact]
    public async Task A_face_appearing_in_a_still_scene_is_detected_on_the_frame_it_appears_in()
    {
        // 2.2 s of black (the gate's last run at 2.0 s), then sample1's three faces from frame 55 on.
        var clip = await TestVideos.ConcatAsync("gate-black-then-sample1", await TestVideos.BlackAsync(2.2), await TestVideos.StillAsync("sample1.jpg", 2));
        var (gated, gatedEvents) = await ReplayAsync(clip, 1);
        var (ungated, ungatedEvents) = await ReplayAsync(clip, 0);

        Assert.True(gated.Statistics.DetectionsSkipped >= 8, $"skipped {gated.Statistics.DetectionsSkipped}");
        Assert.Equal(3, gated.Tracks);
        Assert.All(gatedEvents.Events, e => Assert.Equal(55, e.Request.DetectorParams.TrackStartFrame));
        Assert.Equal(ungated.Tracks, gated.Tracks);
        Assert.Equal(ungatedEvents.Events.Select(e => (e.TrackId, e.Request.DetectorParams.TrackStartFrame, e.Request.DetectorParams.Frame)),
            gatedEvents.Events.Select(e => (e.TrackId, e.Request.DetectorParams.TrackStartFrame, e.Request.DetectorParams.Frame)));
    }
}
