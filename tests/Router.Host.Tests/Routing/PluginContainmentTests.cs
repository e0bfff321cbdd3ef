using System.Diagnostics;
using Router.Host.Plugins;
using Router.Host.Routing;
using Router.Host.Tests.Plugins;
using Xunit;

namespace Router.Host.Tests.Routing;

/// <summary>
/// Issue 12, item 5: a stuck plugin (the probe in "hang" mode ignores its token) holds only its
/// own bounded slots, its calls beyond the bound are dropped for it alone (counted), and one that
/// keeps timing out is quarantined (reported, its faces skipped) and tried again later, while a
/// healthy plugin next to it gets every face.
/// </summary>
public sealed class PluginContainmentTests
{
    private static async Task<PluginHostHarness> StartAsync(Dictionary<string, string?> settings)
    {
        foreach (var name in new[] { "stuck", "healthy" })
        {
            settings[$"Plugins:Items:{name}:Assembly"] = ProbePluginBuild.AssemblyName;
            settings[$"Plugins:Items:{name}:Settings:features"] = "Age";
        }
        settings["Plugins:Items:stuck:Settings:mode"] = "hang";
        settings["Plugins:Items:stuck:ProcessTimeout"] = "00:00:00.200";
        var harness = new PluginHostHarness(settings);
        var build = await ProbePluginBuild.OutputOfAsync("V1");
        ProbePluginBuild.CopyTo(build, harness.PluginsDirectory, "stuck");
        ProbePluginBuild.CopyTo(build, harness.PluginsDirectory, "healthy");
        await harness.StartAsync();
        return harness;
    }

    private static Task<RouteResult> Route(PluginHostHarness h, ulong id) =>
        h.Router.RouteAsync(PluginHostHarness.SampleFace(), id, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_stuck_plugin_holds_only_its_own_slots_and_its_calls_beyond_them_are_dropped_at_once()
    {
        await using var h = await StartAsync(new()
        {
            ["Plugins:MaxConcurrentCalls"] = "2", ["Plugins:MaxQueuedCalls"] = "0", ["Plugins:QuarantineAfterTimeouts"] = "1000",
        });
        // Two calls time out and stay stuck, holding both slots (and no more threads than that).
        for (ulong id = 1; id <= 2; id++)
            Assert.Contains((await Route(h, id)).Calls, c => c.Plugin == "stuck" && c.Outcome == PluginCallOutcome.TimedOut);
        var stuck = h.Registry.Find("stuck")!;
        Assert.Equal(2, stuck.Limiter.Running);
        // From then on the stuck plugin costs the others nothing: dropped at once, not after its timeout.
        var watch = Stopwatch.StartNew();
        for (ulong id = 3; id <= 22; id++)
        {
            var result = await Route(h, id);
            Assert.Contains(result.Calls, c => c.Plugin == "stuck" && c.Outcome == PluginCallOutcome.Dropped);
            Assert.Contains(result.Calls, c => c.Plugin == "healthy" && c.Outcome == PluginCallOutcome.Processed);
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"20 faces took {watch.Elapsed} beside a stuck plugin (its timeout is 0.2 s)");
        Assert.Equal(2, stuck.Limiter.Running);
        var info = stuck.Describe();
        Assert.Equal((20L, 2L), (info.Counters.Dropped, info.Counters.Timeouts));
        Assert.Equal(22, h.Received("healthy").Count);
    }

    [Fact]
    public async Task A_plugin_that_keeps_timing_out_is_quarantined_reported_and_tried_again_later()
    {
        await using var h = await StartAsync(new()
        {
            ["Plugins:QuarantineAfterTimeouts"] = "3", ["Plugins:QuarantineDuration"] = "00:00:01", ["Plugins:MaxConcurrentCalls"] = "64",
        });
        var stuck = h.Registry.Find("stuck")!;
        for (ulong id = 1; id <= 3; id++) await Route(h, id);
        var info = stuck.Describe();
        Assert.Equal("quarantined", info.State);
        Assert.NotNull(info.QuarantinedUntil);
        Assert.Equal(1, info.Quarantines);
        // Quarantined: its faces are skipped at once.
        var watch = Stopwatch.StartNew();
        for (ulong id = 4; id <= 13; id++)
            Assert.Contains((await Route(h, id)).Calls, c => c.Plugin == "stuck" && c.Outcome == PluginCallOutcome.Quarantined);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"10 faces took {watch.Elapsed}");
        Assert.Equal(10, stuck.Describe().Counters.Quarantined);
        Assert.Equal(3, stuck.Describe().Counters.Timeouts);
        // After its quarantine it is tried again; still stuck, it is back in quarantine at the first timeout, for twice as long.
        await Task.Delay(1200);
        Assert.Equal("loaded", stuck.Describe().State);
        Assert.Contains((await Route(h, 14)).Calls, c => c.Plugin == "stuck" && c.Outcome == PluginCallOutcome.TimedOut);
        info = stuck.Describe();
        Assert.Equal(("quarantined", 2), (info.State, info.Quarantines));
        Assert.InRange((info.QuarantinedUntil!.Value - DateTimeOffset.UtcNow).TotalSeconds, 1.2, 2.1);
        Assert.Equal(14, h.Received("healthy").Count);
    }
}
