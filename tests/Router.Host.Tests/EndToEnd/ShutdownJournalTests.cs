using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Host.Events;
using Router.Host.Pipeline;
using Router.Host.Tests.Plugins;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// Issue 12, item 6: a stop with a slow plugin is bounded by Events:DrainTimeout, does not fail,
/// and loses nothing silently: the events not routed by the deadline are journaled in the data
/// folder and routed at the next start.
/// </summary>
public sealed class ShutdownJournalTests
{
    private static Dictionary<string, string?> Settings(int delayMs) => new()
    {
        ["Plugins:Items:probe:Assembly"] = ProbePluginBuild.AssemblyName,
        ["Plugins:Items:probe:Settings:features"] = "Detection",
        ["Plugins:Items:probe:Settings:delay_ms"] = delayMs.ToString(),
        ["Plugins:ProcessTimeout"] = "00:01:00",
        ["Events:Workers"] = "1",
        ["Events:MaxInFlight"] = "1", // one event at a time: what is routed by the deadline is known
        ["Events:DrainTimeout"] = "00:00:01",
        ["Logging:LogLevel:Router.Host.Events"] = "Information",
    };

    [Fact]
    public async Task Events_not_routed_by_the_drain_deadline_are_journaled_and_routed_at_the_next_start()
    {
        var probe = await ProbePluginBuild.OutputOfAsync("v1");
        var root = RouterTestHost.NewRoot();
        const int posted = 6;
        var journalPath = Path.Combine(root, "data", "events-journal.jsonl");

        // A plugin taking 2 s an event, one worker: 12 s of work, a 1 s deadline.
        var first = new RouterTestHost(root, [], Settings(2000));
        ProbePluginBuild.CopyTo(probe, first.PluginsDirectory, "probe");
        await first.StartAsync();
        var router = (FaceEventRouter)first.Services.GetRequiredService<IFaceEventSink>();
        await first.PostSampleFacesAsync(posted);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await first.StopAsync(); // must not throw
        watch.Stop();
        var routedFirst = Received(first);
        Assert.InRange(routedFirst.Count, 1, 2);            // the event in flight finishes, nothing else starts
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.5, 10); // the deadline, plus the call in flight
        Assert.Equal(posted - routedFirst.Count, router.Counters.Journaled);
        Assert.Equal(posted - routedFirst.Count, File.ReadAllLines(journalPath).Count(l => l.Length > 0));
        Assert.Contains(first.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("journaled in " + journalPath));
        first.Http.Dispose(); // not DisposeAsync: that deletes the root, data folder and journal included

        // The next start routes them (the plugin is quick now) and removes the journal.
        await using var second = new RouterTestHost(root, [], Settings(0));
        await second.StartAsync();
        Assert.True(await RouterTestHost.WaitForAsync(() => Task.FromResult(Received(second).Count == posted), TimeSpan.FromSeconds(30)),
            $"routed {Received(second).Count} of {posted}");
        Assert.Equal(Enumerable.Range(1, posted).Select(i => (ulong)i), Received(second).Order());
        Assert.False(File.Exists(journalPath));
        var replayed = (FaceEventRouter)second.Services.GetRequiredService<IFaceEventSink>();
        Assert.Equal(posted - routedFirst.Count, replayed.Counters.Replayed);
        Assert.Contains(second.Log.Entries, e => e.Message.Contains($"routing {posted - routedFirst.Count} events that the last stop journaled"));
    }

    private static List<ulong> Received(RouterTestHost host) => host.ProbeReceived("probe");
}
