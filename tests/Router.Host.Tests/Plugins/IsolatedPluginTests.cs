using System.Diagnostics;
using Router.Host.Routing;
using Router.Host.Plugins;
using Xunit;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// <c>Isolation=process</c>: the probe plugin in a child process of the host, beside an in-process
/// probe that must receive every face whatever the isolated one does. Faces are routed through the
/// real router; the isolated plugin exits, crashes, overflows its stack or exhausts its heap, and
/// only its own process goes (and comes back).
/// </summary>
public sealed class IsolatedPluginTests
{
    private const int Faces = 12;

    internal static async Task<PluginHostHarness> StartAsync(string isolatedMode, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Plugins:Items:steady:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:steady:Settings:features"] = "Age",
            ["Plugins:Items:isolated:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:isolated:Isolation"] = "process",
            ["Plugins:Items:isolated:Settings:features"] = "Age",
            ["Plugins:Items:isolated:Settings:mode"] = isolatedMode,
            ["Plugins:Items:isolated:ProcessTimeout"] = "00:00:10",
        };
        if (more is not null) foreach (var (k, v) in more) settings[k] = v;
        var h = new PluginHostHarness(settings);
        var build = await ProbePluginBuild.OutputOfAsync("V1");
        ProbePluginBuild.CopyTo(build, h.PluginsDirectory, "steady");
        ProbePluginBuild.CopyTo(build, h.PluginsDirectory, "isolated");
        await h.StartAsync();
        return h;
    }

    internal static async Task RouteAsync(PluginHostHarness h, int count, int delayMs = 0)
    {
        for (int i = 1; i <= count; i++)
        {
            await h.Router.RouteAsync(PluginHostHarness.SampleFace(), (ulong)i, null, CancellationToken.None);
            if (delayMs > 0) await Task.Delay(delayMs);
        }
    }

    [Fact]
    public async Task An_isolated_plugin_gets_the_same_faces_as_one_in_process()
    {
        await using var h = await StartAsync("ok");
        var info = h.Registry.Find("isolated")!.Describe();
        Assert.Equal(PluginIsolation.Process, info.Isolation);
        Assert.NotNull(info.ProcessId);
        Assert.NotEqual(Environment.ProcessId, info.ProcessId);
        Assert.Equal("1.0.0", info.Version);

        await RouteAsync(h, Faces);
        await h.StopAsync();

        var isolated = h.Received("isolated");
        Assert.Equal(Faces, isolated.Count);
        Assert.Equal(Enumerable.Range(1, Faces).Select(i => (ulong)i), isolated.Select(r => r.GetProperty("event_id").GetUInt64()).Order());
        Assert.All(isolated, r => Assert.True(r.GetProperty("age").GetBoolean(), "the isolated plugin got the face without the features it asked for"));
        Assert.Equal(Faces, h.Received("steady").Count);
        Assert.Equal(["v1"], h.ShutdownLog("isolated"));
        Assert.False(Process.GetProcesses().Any(p => p.Id == info.ProcessId && !p.HasExited), "the plugin's process outlived its shutdown");
    }

    [Theory]
    [InlineData("exit")]
    [InlineData("crash")]
    [InlineData("stackoverflow")]
    public async Task A_plugin_that_ends_its_process_ends_only_that_and_comes_back(string mode)
    {
        await using var h = await StartAsync(mode);
        var first = h.Registry.Find("isolated")!.Describe().ProcessId;

        await RouteAsync(h, Faces, delayMs: 100);
        // Back-off 1 s, then 2 s: within a few seconds a new process is up.
        var entry = h.Registry.Find("isolated")!;
        Assert.True(await WaitAsync(() => entry.Describe() is { ProcessRestarts: >= 1, ProcessId: not null } d && d.ProcessId != first, TimeSpan.FromSeconds(20)),
            $"no new process after the {mode}: {entry.Describe()}");
        await h.StopAsync();

        Assert.Equal(Faces, h.Received("steady").Count); // the host and its other plugin went on
        var counters = entry.Describe().Counters;
        Assert.True(counters.Errors >= 1, $"the calls that died with the process were not counted as errors: {counters}");
        Assert.Empty(h.Received("isolated"));
    }

    internal static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(100);
        }
        return condition();
    }
}
