using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Host.Tests.Ingest;
using Router.Host.Tests.Replay;
using Router.Tests.Common.Servers;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Rtsp;

/// <summary>
/// Cameras against real RTSP servers on 127.0.0.1: GStreamer's server over TCP and
/// rtsp-server-perl over UDP fed by an ffmpeg publisher. Servers and publishers are killed
/// and restarted under a running camera, which must notice and reconnect by itself.
/// </summary>
public class RtspIngestTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    private static readonly CameraSettings Live = new()
    {
        StallTimeout = 2, FirstFrameTimeout = 5, RestartMinDelay = 0.2, RestartMaxDelay = 1, DetectFps = 5,
    };

    [Fact]
    public async Task Tcp_camera_reconnects_by_itself_after_the_server_restarts()
    {
        await using var server = new RtspGstServer();
        await server.StartAsync();
        await using var camera = new IngestHarness(server.Url, Live);
        Assert.True(await camera.ReadUntilAsync(f => f.Run == 1 && f.Number > 3, TimeSpan.FromSeconds(15)), "no frames from the server");
        Assert.Equal(CameraState.Streaming, camera.Stats.State);

        server.Stop();
        var killed = Stopwatch.StartNew();
        Assert.True(await IngestHarness.WaitForAsync(() => camera.Stats.JobStarts >= 2, TimeSpan.FromSeconds(8)), "the camera did not notice the server died");
        var noticed = killed.Elapsed;
        Assert.True(noticed < TimeSpan.FromSeconds(6), $"noticed after {noticed}");

        await server.StartAsync();
        Assert.True(await camera.ReadUntilAsync(f => f.Run >= 2, TimeSpan.FromSeconds(20)), "frames did not resume after the server came back");
        Assert.Contains(camera.Stats.State, new[] { CameraState.Streaming });
        Assert.NotNull(camera.Stats.Snapshot().LastError);
    }

    [Fact]
    public async Task Udp_camera_notices_a_dead_publisher_and_reconnects_when_the_stream_is_back()
    {
        var clip = await TestVideos.TestPatternAsync(3, 640, 360);
        await using var server = new RtspPerlServer();
        await server.StartAsync();
        await using var publisher = ClipPublisher.Rtsp(clip, server.PublishUrl("cam1"));
        await publisher.StartAsync();
        await using var camera = new IngestHarness(server.PlayUrl("cam1"), Live with { RtspTransport = "udp" });
        Assert.True(await camera.ReadUntilAsync(f => f.Number > 3, TimeSpan.FromSeconds(15)), "no frames over UDP");
        var (w, h) = (camera.Stats.Snapshot().FrameWidth, camera.Stats.Snapshot().FrameHeight);
        Assert.Equal((640, 360), (w, h));

        publisher.Stop();
        var startsBefore = camera.Stats.JobStarts;
        Assert.True(await IngestHarness.WaitForAsync(() => camera.Stats.JobStarts > startsBefore, TimeSpan.FromSeconds(8)), "the camera did not notice the publisher died");

        // rtsp-server-perl keeps refusing (403) a new publisher for a mount whose publisher died,
        // so the server is restarted too (same ports), as an operator would.
        server.Stop();
        await server.StartAsync();
        await publisher.StartAsync();
        Assert.True(await camera.ReadUntilAsync(f => f.Run > 1, TimeSpan.FromSeconds(20)), "frames did not resume after the publisher came back");
    }

    [Fact]
    public async Task Faces_published_over_rtsp_arrive_as_events()
    {
        var clip = await TestVideos.StillAsync("sample1.jpg", 3);
        await using var server = new RtspPerlServer();
        await server.StartAsync();
        await using var publisher = ClipPublisher.Rtsp(clip, server.PublishUrl("faces"));
        await publisher.StartAsync();
        var sink = new CollectingFaceEventSink();
        var camera = new CameraDefinition
        {
            Id = "door", Url = server.PlayUrl("faces"),
            Settings = Live with { RtspTransport = "udp", BsType = "realtime", RealtimePostInterval = 0.5, RealtimePostEveryInterval = true, FilterMinQuality = 0, FilterMinSize = 40 },
        };
        var pipeline = new CameraPipeline(camera, fixture.Analyzer, sink, new TimeOrderedEventIdGenerator(), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        try
        {
            Assert.True(await IngestHarness.WaitForAsync(() => sink.Events.Select(e => e.TrackId).Distinct().Count() >= 3, TimeSpan.FromSeconds(25)),
                $"events: {sink.Events.Count}, stats: {pipeline.Statistics.Snapshot()}");
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.All(sink.Events, e => Assert.Equal("door", e.Request.CamId));
        var stats = pipeline.Statistics.Snapshot();
        Assert.Equal(stats.FacesPosted, sink.Events.Count);
        Assert.True(stats.FramesProcessed > 0);
    }
}
