using Router.Host.Routing;
using Router.Host.Plugins;
using Xunit;

namespace Router.Host.Tests.Plugins;

public sealed class HotReloadTests
{
    [Fact]
    public async Task ReplacingThePluginFolder_SwapsToTheNewBuild_WhileFacesFlow_WithoutLosingAny()
    {
        await using var h = new PluginHostHarness(new Dictionary<string, string?>
        {
            ["Plugins:Items:probe:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:probe:Settings:features"] = "Age",
            ["Plugins:Items:probe:Settings:delay_ms"] = "20",
            ["Plugins:ReloadDebounce"] = "00:00:00.300",
        });
        var v1 = await ProbePluginBuild.OutputOfAsync("V1");
        var v2 = await ProbePluginBuild.OutputOfAsync("V2");
        ProbePluginBuild.CopyTo(v1, h.PluginsDirectory, "probe");
        await h.StartAsync();
        await h.StartHotReloadAsync();
        var entry = h.Registry.Find("probe")!;
        Assert.Equal("1.0.0", entry.Current!.Version);

        // Faces keep coming from several "cameras" while the new build is dropped in.
        using var stop = new CancellationTokenSource();
        long routed = 0;
        var feeders = Enumerable.Range(0, 3).Select(cam => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = (ulong)Interlocked.Increment(ref routed);
                await h.Router.RouteAsync(PluginHostHarness.SampleFace(camId: $"cam-{cam}"), id, null, CancellationToken.None);
            }
        })).ToList();

        await Task.Delay(300);
        ProbePluginBuild.CopyTo(v2, h.PluginsDirectory, "probe");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (entry.Current?.Version != "2.0.0" && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal("2.0.0", entry.Current?.Version);
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(feeders);
        await h.StopAsync();

        var received = h.Received("probe");
        Assert.Equal(Interlocked.Read(ref routed), received.Count);
        Assert.Equal(received.Count, received.Select(r => r.GetProperty("event_id").GetUInt64()).Distinct().Count());
        Assert.Contains(received, r => r.GetProperty("variant").GetString() == "v1");
        Assert.Contains(received, r => r.GetProperty("variant").GetString() == "v2");
        // Once a face reached v2, no later-started face went back to v1... and each build was shut down exactly once.
        Assert.Equal(["v1", "v2"], h.ShutdownLog("probe"));
        Assert.Equal(1, entry.Reloads);
        Assert.Equal(received.Count, entry.Counters.Snapshot().Processed);
    }
}
