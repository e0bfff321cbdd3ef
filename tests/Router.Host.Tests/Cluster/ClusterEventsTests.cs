using System.Diagnostics;
using System.Text.Json;
using Router.Tests.Common.Servers;
using Xunit;
using Xunit.Abstractions;

namespace Router.Host.Tests.Cluster;

/// <summary>Cluster-wide events through a Redis Stream: every node shows the deployment's events, and a Redis restart costs only the fan-out, for a while.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterEventsTests(ClusterPostgres pg, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_node_shows_the_events_of_every_node_with_unique_ids_and_fan_out_resumes_after_a_redis_restart()
    {
        using var redis = new RedisTestServer();
        await using var d = await ClusterDeployment.StartAsync(pg.Server.CreateDatabase("cluster"), cameras: 2);
        await d.StartNodesAsync(2, new Dictionary<string, string> { ["Cluster:RedisConfiguration"] = redis.Configuration });
        await d.PutCamerasAsync();
        Assert.True(await d.WaitAllStreamingAsync(TimeSpan.FromSeconds(40)), "not every camera streams: " + d.Logs());
        Assert.True(await WaitAsync(async () => (await d.StreamingAsync()).Values.Distinct().Count() == 2, TimeSpan.FromSeconds(20)),
            "the two cameras are not spread over the two nodes: " + d.Logs());

        // Each node's feed holds the events of both nodes, with ids unique over the deployment.
        foreach (var node in d.Nodes)
            Assert.True(await WaitAsync(async () => (await EventsAsync(node)).Select(e => e.Node).Distinct().Count() == 2, TimeSpan.FromSeconds(20)),
                $"{node.Name} does not show both nodes' events: " + d.Logs());
        var all = (await EventsAsync(d.Nodes[0])).Concat(await EventsAsync(d.Nodes[1])).ToList();
        Assert.All(all.GroupBy(e => e.Id), g => Assert.Single(g.Select(e => e.Node).Distinct()));
        Assert.Equal(all.Select(e => e.Id).Distinct().Count(), all.GroupBy(e => (e.Id, e.Node)).Count());

        // Redis away: local events go on; back: the other node's events arrive again, the outage logged once.
        redis.Stop();
        var cut = DateTimeOffset.UtcNow;
        await Task.Delay(3000);
        foreach (var node in d.Nodes)
            Assert.Contains(await EventsAsync(node), e => e.Node == node.Name && e.Timestamp > cut.AddSeconds(1));
        redis.Start();
        var back = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        foreach (var node in d.Nodes)
            Assert.True(await WaitAsync(async () => (await EventsAsync(node)).Any(e => e.Node != node.Name && e.Timestamp > back), TimeSpan.FromSeconds(20)),
                $"{node.Name} gets no event of the other node after Redis came back: " + d.Logs());
        output.WriteLine($"fan-out resumed within {watch.Elapsed.TotalSeconds:0.0} s of Redis' restart");
        foreach (var node in d.Nodes)
        {
            var status = (await node.GetAsync("v1/cluster")).GetProperty("events");
            Assert.True(status.GetProperty("connected").GetBoolean());
            Assert.True(status.GetProperty("outages").GetInt64() >= 1);
            var warnings = node.Output.Split('\n').Count(l => l.Contains("Redis out of reach"));
            Assert.InRange(warnings, 1, 2); // once an outage (writer and reader share the report)
        }
    }

    private sealed record Event(string Id, string? Node, string Cam, DateTimeOffset Timestamp);

    private static async Task<List<Event>> EventsAsync(ClusterNode node) =>
        (await node.GetAsync("v1/events?limit=1000")).GetProperty("events").EnumerateArray()
            .Select(e => new Event(e.GetProperty("id").GetString()!, e.TryGetProperty("node", out var n) ? n.GetString() : null,
                e.GetProperty("cam_id").GetString()!, e.GetProperty("timestamp").GetDateTimeOffset()))
            .ToList();

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try { if (await condition()) return true; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException) { }
            await Task.Delay(250);
        }
        return false;
    }
}
