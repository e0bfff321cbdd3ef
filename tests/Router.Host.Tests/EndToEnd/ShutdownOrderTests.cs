using Microsoft.Extensions.DependencyInjection;
using Router.Host.Events;
using Router.Host.Pipeline;
using Router.Host.Tests.Plugins;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>The composed host stops in the right order: events in flight are routed before the plugins are shut down.</summary>
public sealed class ShutdownOrderTests
{
    [Fact]
    public async Task Events_in_flight_are_routed_before_plugins_get_ShutdownAsync()
    {
        var probe = await ProbePluginBuild.OutputOfAsync("v1");
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?>
        {
            ["Plugins:Items:probe:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:probe:Settings:features"] = "Detection",
            ["Plugins:Items:probe:Settings:delay_ms"] = "600",
            ["Events:Workers"] = "2",
        });
        ProbePluginBuild.CopyTo(probe, host.PluginsDirectory, "probe");
        await host.StartAsync();

        // Eight faces posted as the cameras post them; each takes the plugin 0.6 s, two at a time: ~2.4 s of work queued.
        var sink = host.Services.GetRequiredService<IFaceEventSink>();
        Assert.IsType<FaceEventRouter>(sink);
        const int posted = 8;
        await host.PostSampleFacesAsync(posted);
        var router = (FaceEventRouter)sink;
        Assert.True(router.Counters.Routed < posted, "the events were routed before the stop began: the test proves nothing");

        await host.StopAsync();

        var received = host.ProbeReceived("probe");
        var shutdown = Path.Combine(host.PluginData("probe"), "shutdown.log");
        Assert.Equal(posted, received.Count);
        Assert.Equal(posted, router.Counters.Routed);
        Assert.Equal(0, router.Counters.Failed);
        Assert.Single(File.ReadAllLines(shutdown), l => l.Length > 0);
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(host.PluginData("probe"), "received.jsonl")) <= File.GetLastWriteTimeUtc(shutdown));
    }
}
