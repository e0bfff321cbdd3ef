using System.Drawing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Events;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Host.Tests.Plugins;
using Router.Models.Imaging;
using Router.Tests.Common;
using Xunit;

namespace Router.Host.Tests.Events;

/// <summary>
/// Face events that come with their best shot's decoded frame and landmarks (as the video
/// pipeline posts them): routing runs the models on that frame with those landmarks instead of
/// decoding the JPEG and rerunning the landmark model, and every frame's reference goes back
/// when extraction ends, whether it succeeded, failed, or the event was abandoned at a stop.
/// </summary>
public sealed class EventPixelsRoutingTests
{
    private static async Task<PluginHostHarness> StartPluginsAsync(string mode = "ok", int delayMs = 0)
    {
        var harness = new PluginHostHarness(new Dictionary<string, string?>
        {
            ["Plugins:Items:probe:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:probe:Settings:features"] = "Facen, Quality",
            ["Plugins:Items:probe:Settings:mode"] = mode,
            ["Plugins:Items:probe:Settings:delay_ms"] = delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        ProbePluginBuild.CopyTo(await ProbePluginBuild.OutputOfAsync("V1"), harness.PluginsDirectory, "probe");
        await harness.StartAsync();
        return harness;
    }

    private static FaceEventRouter EventRouter(PluginHostHarness h, EventsOptions options) =>
        new(h.Router, new EventFeed(Options.Create(options)), Options.Create(options), NullLogger<FaceEventRouter>.Instance,
            h.Annotations, new EventFrames(Options.Create(options)));

    /// <summary>A frame as ingest hands it over (one reference: the test's), decoded from a sample photo.</summary>
    private static VideoFrame Frame() =>
        new(JpegCodec.Decode(SamplePhotos.Read("sample1.jpg")), run: 1, number: 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, receivedTicks: 0);

    private static PointF[] Landmarks() => Enumerable.Range(0, 68).Select(i => new PointF(50 + i, 60 + i)).ToArray();

    /// <summary>Posts the event as <see cref="CameraPipeline"/> does: the pixels are lent for PublishAsync and disposed after it.</summary>
    private static async Task PostAsync(FaceEventRouter router, ulong id, VideoFrame frame, BBox? box = null)
    {
        using var pixels = new BestShotPixels(frame, Landmarks());
        var request = PluginHostHarness.SampleFace() with { BBox = box ?? new BBox(40, 40, 120, 120) };
        await router.PublishAsync(new FaceEvent { EventId = id, Request = request, Pixels = pixels }, CancellationToken.None);
    }

    /// <summary>Starts the workers and waits until every queued event is routed (the queue then takes no more).</summary>
    private static async Task RouteAllAsync(FaceEventRouter router)
    {
        router.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await router.DrainAsync(timeout.Token);
    }

    [Fact]
    public async Task An_event_with_its_frame_is_analysed_on_that_frame_with_its_landmarks_and_gives_the_frame_back()
    {
        await using var h = await StartPluginsAsync();
        var router = EventRouter(h, new EventsOptions { Workers = 1, MaxInFlight = 1 });
        var frame = Frame();
        await PostAsync(router, 1, frame);
        await RouteAllAsync(router);

        var analysis = Assert.Single(h.Analyzer.Analyses);
        // The very pixels the pipeline lent (no JPEG decoded) and its landmarks (no second landmark pass).
        Assert.Same(frame.Image, analysis.Image);
        Assert.True(analysis.LandmarksGiven);
        Assert.Equal(FaceFeatures.Facen | FaceFeatures.Quality, analysis.Features);
        Assert.Equal(1, router.Counters.Routed);
        Assert.Single(h.Received("probe"));
        Assert.Equal(0, router.KeptFrames);
        Assert.Equal(0, router.Counters.FramesNotKept);
        Assert.Equal(1, frame.References); // the test's own, no more, no less
        frame.Release();
    }

    [Fact]
    public async Task A_failed_extraction_gives_the_frame_back()
    {
        await using var h = await StartPluginsAsync();
        var router = EventRouter(h, new EventsOptions { Workers = 1, MaxInFlight = 1 });
        var frame = Frame();
        await PostAsync(router, 1, frame, box: new BBox(-10, 40, 70, 120));
        await RouteAllAsync(router);

        Assert.Equal(1, router.Counters.Failed);
        Assert.Equal(1, h.Router.Counters.ExtractionErrors);
        Assert.Equal(0, router.KeptFrames);
        Assert.Equal(1, frame.References);
        frame.Release();
    }

    [Fact]
    public async Task An_event_the_stopped_router_refuses_gives_the_frame_back()
    {
        await using var h = await StartPluginsAsync();
        var router = EventRouter(h, new EventsOptions { Workers = 1, MaxInFlight = 1 });
        await h.StopAsync();
        var frame = Frame();
        await PostAsync(router, 1, frame);
        await RouteAllAsync(router);

        Assert.Equal(1, router.Counters.Failed);
        Assert.Equal(1, h.Router.Counters.Rejected);
        Assert.Equal(0, router.KeptFrames);
        Assert.Equal(1, frame.References);
        frame.Release();
    }

    [Fact]
    public async Task Past_MaxQueuedFrames_events_go_with_their_jpeg_alone_counted_and_are_routed_from_it()
    {
        await using var h = await StartPluginsAsync();
        var router = EventRouter(h, new EventsOptions { Workers = 1, MaxInFlight = 1, MaxQueuedFrames = 1 });
        var frames = new[] { Frame(), Frame(), Frame() };
        // Not started: the three wait in the queue, and only the first keeps its frame.
        for (int i = 0; i < frames.Length; i++) await PostAsync(router, (ulong)i + 1, frames[i]);
        Assert.Equal(1, router.KeptFrames);
        Assert.Equal(2, router.Counters.FramesNotKept);
        Assert.Equal([2, 1, 1], frames.Select(f => f.References));

        await RouteAllAsync(router);
        var analyses = h.Analyzer.Analyses;
        Assert.Equal(3, analyses.Count);
        Assert.Equal(3, router.Counters.Routed);
        Assert.Single(analyses, a => ReferenceEquals(a.Image, frames[0].Image) && a.LandmarksGiven);
        // The others ran on the decoded JPEG, whose landmarks the analyzer computed itself.
        Assert.Equal(2, analyses.Count(a => !frames.Any(f => ReferenceEquals(a.Image, f.Image)) && !a.LandmarksGiven));
        Assert.Equal(0, router.KeptFrames);
        Assert.All(frames, f => Assert.Equal(1, f.References));
        foreach (var f in frames) f.Release();
    }

    [Fact]
    public void MaxQueuedFrames_is_validated_and_defaults_to_16()
    {
        Assert.Equal(16, new EventsOptions().MaxQueuedFrames);
        Assert.Empty(new EventsOptions { MaxQueuedFrames = 0 }.Problems());
        Assert.Contains(new EventsOptions { MaxQueuedFrames = -1 }.Problems(), p => p.StartsWith("Events:MaxQueuedFrames", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxQueuedFrames_zero_keeps_no_frame()
    {
        await using var h = await StartPluginsAsync();
        var router = EventRouter(h, new EventsOptions { Workers = 1, MaxInFlight = 1, MaxQueuedFrames = 0 });
        var frame = Frame();
        await PostAsync(router, 1, frame);
        Assert.Equal(1, frame.References);
        await RouteAllAsync(router);
        Assert.False(Assert.Single(h.Analyzer.Analyses).LandmarksGiven);
        Assert.Equal(1, router.Counters.FramesNotKept);
        frame.Release();
    }

    [Fact]
    public async Task Events_a_stop_abandons_for_the_journal_give_their_frames_back()
    {
        // Each plugin call takes 1 s and one event is routed at a time: at a drain with a short deadline,
        // the first event is in its plugin call, the second waits for a slot and the rest are queued.
        await using var h = await StartPluginsAsync(delayMs: 1000);
        var router = EventRouter(h, new EventsOptions { Workers = 1, MaxInFlight = 1 });
        var frames = Enumerable.Range(0, 4).Select(_ => Frame()).ToArray();
        for (int i = 0; i < frames.Length; i++) await PostAsync(router, (ulong)i + 1, frames[i]);
        router.Start();
        await Task.Delay(200);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var left = await router.DrainAsync(TimeSpan.FromMilliseconds(100), timeout.Token);

        Assert.Equal(3, left.Queued.Count);
        Assert.All(left.Queued, e => Assert.Null(e.Pixels));
        Assert.All(left.Queued, e => Assert.True(JpegCodec.IsJpeg(e.Request.Photo.Span))); // the journal's photo stays
        Assert.Equal(1, router.Counters.Routed);
        Assert.Equal(0, router.KeptFrames);
        Assert.All(frames, f => Assert.Equal(1, f.References));
        foreach (var f in frames) f.Release();
    }

    [Fact]
    public async Task An_event_refused_because_the_queue_is_closed_gives_its_frame_back()
    {
        await using var h = await StartPluginsAsync();
        var router = EventRouter(h, new EventsOptions { Workers = 1, MaxInFlight = 1 });
        await RouteAllAsync(router);
        var frame = Frame();
        var refused = await Assert.ThrowsAsync<RouterException>(() => PostAsync(router, 1, frame));
        Assert.Equal(Router.Host.Routing.RoutingErrorCodes.Stopping, refused.Code);
        Assert.Equal(0, router.KeptFrames);
        Assert.Equal(1, frame.References);
        frame.Release();
    }
}
