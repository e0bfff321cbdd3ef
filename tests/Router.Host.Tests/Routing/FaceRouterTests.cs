using Router.Abstractions;
using Router.Host.Plugins;
using Router.Host.Routing;
using Router.Host.Tests.Plugins;
using Xunit;

namespace Router.Host.Tests.Routing;

public sealed class FaceRouterTests
{
    private static Dictionary<string, string?> Probe(string name, string features, string mode = "ok", string? extra = null) => new()
    {
        [$"Plugins:Items:{name}:Assembly"] = ProbePluginBuild.AssemblyName,
        [$"Plugins:Items:{name}:Settings:features"] = features,
        [$"Plugins:Items:{name}:Settings:mode"] = mode,
    };

    private static async Task<PluginHostHarness> StartAsync(params Dictionary<string, string?>[] plugins)
    {
        var settings = plugins.SelectMany(p => p).ToDictionary();
        var harness = new PluginHostHarness(settings);
        var build = await ProbePluginBuild.OutputOfAsync("V1");
        foreach (var name in settings.Keys.Where(k => k.EndsWith(":Assembly")).Select(k => k.Split(':')[2]))
            ProbePluginBuild.CopyTo(build, harness.PluginsDirectory, name);
        await harness.StartAsync();
        return harness;
    }

    [Fact]
    public async Task EachPluginGetsExactlyWhatItAskedFor_ModelsRunOnceForTheUnion_ThrowersAndUninterestedAreIsolated()
    {
        await using var h = await StartAsync(
            Probe("ages", "Age"),
            Probe("searcher", "Facen, Gender"),
            Probe("bystander", "None"),
            Probe("thrower", "Facen, Quality", mode: "throw"));
        Assert.All(h.Registry.Entries, e => Assert.Equal(PluginState.Loaded, e.State));
        Assert.Equal("1.0.0", h.Registry.Find("ages")!.Current!.Version);

        for (ulong id = 1; id <= 3; id++)
        {
            var result = await h.Router.RouteAsync(PluginHostHarness.SampleFace(left: 20 * (int)id), id, null, CancellationToken.None);
            Assert.Equal(FaceFeatures.Age | FaceFeatures.Facen | FaceFeatures.Gender | FaceFeatures.Quality, result.Requested);
            Assert.NotNull(result.Detection!.Id);
        }

        // One analysis per face, with the union: no model ran twice, none that nobody asked for.
        Assert.Equal(3, h.Analyzer.Calls.Count);
        Assert.All(h.Analyzer.Calls, c => Assert.Equal(FaceFeatures.Age | FaceFeatures.Facen | FaceFeatures.Gender | FaceFeatures.Quality, c));

        var ages = h.Received("ages");
        Assert.Equal(3, ages.Count);
        Assert.All(ages, r =>
        {
            Assert.True(r.GetProperty("age").GetBoolean());
            Assert.False(r.GetProperty("has_id").GetBoolean());
            Assert.False(r.GetProperty("has_facen").GetBoolean());
            Assert.False(r.GetProperty("gender").GetBoolean());
            Assert.False(r.GetProperty("quality").GetBoolean());
        });
        var searcher = h.Received("searcher");
        Assert.Equal(3, searcher.Count);
        Assert.All(searcher, r =>
        {
            Assert.True(r.GetProperty("has_id").GetBoolean());
            Assert.True(r.GetProperty("has_facen").GetBoolean());
            Assert.True(r.GetProperty("gender").GetBoolean());
            Assert.False(r.GetProperty("age").GetBoolean());
            Assert.False(r.GetProperty("quality").GetBoolean());
        });
        Assert.Equal([1UL, 2UL, 3UL], searcher.Select(r => r.GetProperty("event_id").GetUInt64()).Order());
        Assert.Empty(h.Received("bystander"));

        var c = h.Registry.Find("thrower")!.Counters.Snapshot();
        Assert.Equal((0L, 3L, 0L), (c.Processed, c.Errors, c.Timeouts));
        Assert.Equal(3, h.Registry.Find("ages")!.Counters.Snapshot().Processed);
        Assert.Equal(3, h.Registry.Find("bystander")!.Counters.Snapshot().NotInterested);
        Assert.Equal(0, h.Registry.Find("bystander")!.Counters.Snapshot().Processed);
    }

    [Fact]
    public async Task NoInterestedPlugin_RunsNoModelAndDecodesNothing()
    {
        await using var h = await StartAsync(Probe("bystander", "None"));
        var request = PluginHostHarness.SampleFace() with { Photo = new byte[] { 1, 2, 3 } }; // not even a JPEG
        var result = await h.Router.RouteAsync(request, 1, null, CancellationToken.None);
        Assert.Equal(FaceFeatures.None, result.Requested);
        Assert.Null(result.Detection);
        Assert.Empty(h.Analyzer.Calls);
        Assert.Equal(1, h.Router.Counters.Unwanted);
    }

    [Fact]
    public async Task DetectionOnly_RunsNoModel_ButTheFaceIsProcessed()
    {
        await using var h = await StartAsync(Probe("counter", "Detection"));
        await h.Router.RouteAsync(PluginHostHarness.SampleFace(), 7, null, CancellationToken.None);
        Assert.Empty(h.Analyzer.Calls);
        var r = Assert.Single(h.Received("counter"));
        Assert.False(r.GetProperty("has_id").GetBoolean());
    }

    [Fact]
    public async Task HangingPluginHitsItsTimeout_IsCounted_AndTheOthersCarryOn()
    {
        var hang = Probe("hanger", "Facen", mode: "hang");
        hang["Plugins:Items:hanger:ProcessTimeout"] = "00:00:00.300";
        await using var h = await StartAsync(hang, Probe("steady", "Age"));
        for (ulong id = 1; id <= 2; id++)
        {
            var result = await h.Router.RouteAsync(PluginHostHarness.SampleFace(), id, null, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains(result.Calls, c => c.Plugin == "hanger" && c.Outcome == PluginCallOutcome.TimedOut);
            Assert.Contains(result.Calls, c => c.Plugin == "steady" && c.Outcome == PluginCallOutcome.Processed);
        }
        var hanger = h.Registry.Find("hanger")!.Counters.Snapshot();
        Assert.Equal((0L, 0L, 2L), (hanger.Processed, hanger.Errors, hanger.Timeouts));
        Assert.Equal(2, h.Registry.Find("steady")!.Counters.Snapshot().Processed);
        Assert.Equal(2, h.Received("steady").Count);
        // The abandoned calls still hold their generation: shutting down waits at most DrainTimeout for them.
        Assert.Equal(2, h.Registry.Find("hanger")!.Current!.InFlight);
    }

    [Fact]
    public async Task BadBox_IsBadParam_AndTheNextFaceIsRoutedNormally()
    {
        await using var h = await StartAsync(Probe("searcher", "Facen"));
        var bad = PluginHostHarness.SampleFace() with { BBox = new BBox(10, 10, 100000, 20) };
        var e = await Assert.ThrowsAsync<RouterException>(() => h.Router.RouteAsync(bad, 1, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Equal(1, h.Router.Counters.ExtractionErrors);
        await h.Router.RouteAsync(PluginHostHarness.SampleFace(), 2, null, CancellationToken.None);
        Assert.Single(h.Received("searcher"));
    }

    [Fact]
    public async Task Shutdown_DrainsFacesInFlight_ThenCallsShutdownOnce_AndRefusesNewFaces()
    {
        var slow = Probe("slow", "Age");
        slow["Plugins:Items:slow:Settings:delay_ms"] = "300";
        await using var h = await StartAsync(slow);
        var inFlight = Enumerable.Range(1, 5)
            .Select(i => h.Router.RouteAsync(PluginHostHarness.SampleFace(), (ulong)i, null, CancellationToken.None)).ToList();
        await Task.Delay(50);
        await h.StopAsync();
        await Task.WhenAll(inFlight);
        Assert.Equal(5, h.Received("slow").Count);
        Assert.Equal(["v1"], h.ShutdownLog("slow"));
        Assert.Equal(PluginState.Unloaded, h.Registry.Find("slow")!.State);
        var e = await Assert.ThrowsAsync<RouterException>(() => h.Router.RouteAsync(PluginHostHarness.SampleFace(), 9, null, CancellationToken.None));
        Assert.Equal(RoutingErrorCodes.Stopping, e.Code);
        await h.Registry.ShutdownAsync(CancellationToken.None);
        Assert.Single(h.ShutdownLog("slow"));
    }
}
