using System.Diagnostics;
using Router.Host.Tests.Rtsp;
using Xunit;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// An isolated plugin that exhausts its heap. It measures the host's heap, so it runs alone, after
/// the parallel tests: when it ran beside them, their allocations counted as the host's growth.
/// </summary>
[Collection(ResourceMeasurementCollection.Name)]
public sealed class IsolatedPluginMemoryTests
{
    [Fact]
    public async Task A_plugin_that_hoards_memory_hits_its_own_heap_limit_not_the_host()
    {
        await using var h = await IsolatedPluginTests.StartAsync("hog", new Dictionary<string, string?> { ["Plugins:Items:isolated:MemoryLimitMiB"] = "256" });
        var before = GC.GetTotalMemory(forceFullCollection: true);

        await IsolatedPluginTests.RouteAsync(h, 16); // 16 x 64 MiB = 1 GiB asked for, in a process allowed 256 MiB
        var entry = h.Registry.Find("isolated")!;
        Assert.True(await IsolatedPluginTests.WaitAsync(() => entry.Describe().Counters.Errors >= 1, TimeSpan.FromSeconds(20)), $"the hoarding went unnoticed: {entry.Describe()}");
        var pid = entry.Describe().ProcessId;
        if (pid is { } id && Process.GetProcesses().FirstOrDefault(p => p.Id == id) is { } child)
            Assert.True(child.WorkingSet64 < 400L << 20, $"the plugin's process holds {child.WorkingSet64 >> 20} MiB, over its limit");
        await h.StopAsync();

        Assert.Equal(16, h.Received("steady").Count);
        // The hoard is 1 GiB; a host that kept even a quarter of it fails here. The margin is for
        // what the host itself allocates while routing (buffers, the harness's logs).
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(grown < 256L << 20, $"the host's own heap grew by {grown >> 20} MiB with the plugin's hoard");
    }
}
