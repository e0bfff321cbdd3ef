using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Router.Host.Routing;
using Router.Host.Plugins;
using Xunit;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// An unloaded plugin generation must really leave memory: after shutdown, and after a hot
/// reload that routed faces through the old build, nothing in the host may still reference its
/// load context (a reload that leaks the old context leaks a whole plugin per reload).
/// The test holds the generation only through weak references, obtained in non-inlined helpers
/// so that no local of the test (nor of its async state machine) keeps it alive, then collects
/// the way "How to use and debug assembly unloadability in .NET" does.
/// </summary>
public sealed class PluginUnloadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Shutdown_UnloadsThePlugin_AndItsContextIsCollected()
    {
        await using var h = Harness();
        ProbePluginBuild.CopyTo(await ProbePluginBuild.OutputOfAsync("V1"), h.PluginsDirectory, "probe");
        await h.StartAsync();
        var v1 = await RouteAndWatchAsync(h, faces: 5);

        await h.StopAsync();

        Assert.Equal(["v1"], h.ShutdownLog("probe"));
        Assert.Equal(5, h.Received("probe").Count);
        await AssertCollectedAsync(v1);
        Assert.False(Directory.Exists(v1.ShadowPath), "the shadow copy of the unloaded generation is still there");
    }

    [Fact]
    public async Task HotReload_TheOldGenerationThatRoutedFaces_IsCollected_WhileTheNewOneRuns()
    {
        await using var h = Harness();
        var build2 = await ProbePluginBuild.OutputOfAsync("V2");
        ProbePluginBuild.CopyTo(await ProbePluginBuild.OutputOfAsync("V1"), h.PluginsDirectory, "probe");
        await h.StartAsync();
        await h.StartHotReloadAsync();
        var v1 = await RouteAndWatchAsync(h, faces: 5);

        // Faces keep flowing while the watcher swaps V2 in, so the old generation is retired
        // with calls in flight (leases, timeouts' continuations, drain) rather than idle.
        using var stop = new CancellationTokenSource();
        long routed = 5;
        var feeders = Enumerable.Range(0, 2).Select(cam => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await h.Router.RouteAsync(PluginHostHarness.SampleFace(camId: $"cam-{cam}"),
                    (ulong)Interlocked.Increment(ref routed), null, CancellationToken.None);
        })).ToList();
        ProbePluginBuild.CopyTo(build2, h.PluginsDirectory, "probe");
        await WaitUntilAsync(() => h.ShutdownLog("probe").Contains("v1") && !Directory.Exists(v1.ShadowPath),
            "the old generation was not retired and unloaded");
        stop.Cancel();
        await Task.WhenAll(feeders);

        var entry = h.Registry.Find("probe")!;
        Assert.Equal("2.0.0", entry.Current?.Version);
        var received = h.Received("probe");
        Assert.Contains(received, r => r.GetProperty("variant").GetString() == "v2");
        // The old build is gone while the new one is still loaded and serving.
        await AssertCollectedAsync(v1);
        var v2 = Watch(h);
        Assert.Equal(PluginState.Loaded, entry.State);

        await h.StopAsync();
        Assert.Equal(["v1", "v2"], h.ShutdownLog("probe"));
        await AssertCollectedAsync(v2);
    }

    private static PluginHostHarness Harness() => new(new Dictionary<string, string?>
    {
        ["Plugins:Items:probe:Assembly"] = ProbePluginBuild.AssemblyName,
        ["Plugins:Items:probe:Settings:features"] = "Age",
        ["Plugins:Items:probe:Settings:delay_ms"] = "5",
        ["Plugins:ReloadDebounce"] = "00:00:00.200",
    });

    /// <summary>Weak handles on one generation, plus where its shadow copy lives.</summary>
    private sealed record Watched(WeakReference Context, WeakReference Plugin, string ShadowPath);

    /// <summary>
    /// Routes <paramref name="faces"/> faces through the current generation, then hands back weak
    /// handles on it. Async, but its state machine is cleared once it completes, so its locals
    /// (the plugin object, the instance) do not outlive it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<Watched> RouteAndWatchAsync(PluginHostHarness h, int faces)
    {
        for (int i = 1; i <= faces; i++)
            await h.Router.RouteAsync(PluginHostHarness.SampleFace(), (ulong)i, null, CancellationToken.None);
        return Watch(h);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Watched Watch(PluginHostHarness h)
    {
        var instance = h.Registry.Find("probe")!.Current!;
        var plugin = instance.Plugin;
        var context = AssemblyLoadContext.GetLoadContext(plugin.GetType().Assembly)!;
        // McMaster.NETCore.Plugins' context, one of its own per generation.
        Assert.Equal("McMaster.NETCore.Plugins.Loader.ManagedLoadContext", context.GetType().FullName);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        return new Watched(new WeakReference(context), new WeakReference(plugin), instance.ShadowPath);
    }

    /// <summary>
    /// Collects until the context is gone, or fails after ten rounds (the docs' pattern). Each
    /// round first resumes from a timer on a fresh pool thread: the rest of a test runs inline on
    /// the thread that completed the last plugin call, on top of that call's frames (an async
    /// state machine is cleared only after its continuations return), so collecting there would
    /// see the plugin through the test's own stack rather than through the host.
    /// </summary>
    private static async Task AssertCollectedAsync(Watched watched)
    {
        for (int i = 0; watched.Context.IsAlive && i < 10; i++)
        {
            await Task.Delay(10);
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(watched.Plugin.IsAlive, "the plugin object is still referenced after unload");
        Assert.False(watched.Context.IsAlive, "the plugin's load context is still referenced after unload");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail(failure);
            await Task.Delay(20);
        }
    }
}
