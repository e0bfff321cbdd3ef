using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Router.Host.Events;
using Router.Host.Pipeline;
using Router.Host.Tests.Plugins;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// Issue 12, item 5: a plugin that is slow but within its timeout delays only its own calls and the
/// publication of the events it takes; the plugin beside it gets every face at once, although
/// one routing worker prepares them.
/// </summary>
public sealed class SlowPluginTests
{
    [Fact]
    public async Task A_slow_plugin_does_not_delay_the_faces_of_the_plugin_beside_it()
    {
        var probe = await ProbePluginBuild.OutputOfAsync("v1");
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?>
        {
            ["Plugins:Items:slow:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:slow:Settings:features"] = "Detection",
            ["Plugins:Items:slow:Settings:delay_ms"] = "1500",
            ["Plugins:Items:slow:ProcessTimeout"] = "00:00:20",
            ["Plugins:Items:quick:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:quick:Settings:features"] = "Detection",
            ["Events:Workers"] = "1",
            ["Events:LogEvents"] = "false",
        });
        ProbePluginBuild.CopyTo(probe, host.PluginsDirectory, "slow");
        ProbePluginBuild.CopyTo(probe, host.PluginsDirectory, "quick");
        await host.StartAsync();
        var router = (FaceEventRouter)host.Services.GetRequiredService<IFaceEventSink>();
        var feed = host.Services.GetRequiredService<EventFeed>();

        // 10 faces: one after another behind the slow plugin, the quick one would get the last after 13.5 s.
        const int posted = 10;
        var watch = Stopwatch.StartNew();
        await host.PostSampleFacesAsync(posted);
        Assert.True(await RouterTestHost.WaitForAsync(() => Task.FromResult(Received(host, "quick").Count == posted), TimeSpan.FromSeconds(30)),
            $"the quick plugin got {Received(host, "quick").Count} of {posted}");
        var quick = watch.Elapsed;
        Assert.True(quick < TimeSpan.FromSeconds(4), $"the quick plugin got its {posted} faces after {quick.TotalSeconds:F1} s beside a plugin taking 1.5 s a face");
        Assert.True(Received(host, "slow").Count < posted, "the slow plugin was done as soon as the quick one: the test proves nothing");

        // Every event is still published once, with both plugins' answers, when the slow plugin's calls end (4 at a time).
        await router.DrainAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var events = feed.Recent(null, null, 100);
        Assert.True(posted == Received(host, "slow").Count, string.Join("; ", events.Select(e => e.EventId + ":" + string.Join(",", e.Plugins.Select(p => p.Plugin + "=" + p.Outcome + "/" + p.Error)))));
        Assert.Equal(posted, events.Count);
        Assert.All(events, e => Assert.Equal(["processed", "processed"], e.Plugins.Select(p => p.Outcome)));
        Assert.Equal(posted, router.Counters.Routed);
    }

    private static List<ulong> Received(RouterTestHost host, string plugin) => host.ProbeReceived(plugin);
}
