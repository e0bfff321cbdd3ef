using System.Diagnostics;
using Router.Tests.Common.Servers;
using Xunit;
using Xunit.Abstractions;

namespace Router.Host.Tests.Cluster;

/// <summary>Issue 10's faults on loopback: one PostgreSQL, three real `router run` nodes, RTSP cameras from a local server.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFaultTests(ClusterPostgres pg, ITestOutputHelper output)
{
    [Fact]
    public async Task Sigkill_of_a_node_moves_its_cameras_to_the_others_within_15_s_and_no_camera_ever_runs_twice()
    {
        await using var d = await ClusterDeployment.StartAsync(pg.Server.CreateDatabase("cluster"), cameras: 3);
        await d.StartNodesAsync(3);
        await d.PutCamerasAsync();
        d.StartSampling();
        Assert.True(await d.WaitAllStreamingAsync(TimeSpan.FromSeconds(40)), "not every camera streams: " + d.Logs());

        var before = await d.StreamingAsync();
        var victim = d.Nodes.First(n => before.ContainsValue(n.Name));
        var moved = before.Where(kv => kv.Value == victim.Name).Select(kv => kv.Key).ToList();
        var watch = Stopwatch.StartNew();
        victim.Kill();
        var takeover = TimeSpan.Zero;
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            var now = await d.StreamingAsync();
            if (moved.All(now.ContainsKey)) { takeover = watch.Elapsed; break; }
            await Task.Delay(100);
        }
        output.WriteLine($"takeover of {string.Join(", ", moved)} from {victim.Name}: {takeover.TotalSeconds:0.0} s");
        Assert.True(takeover > TimeSpan.Zero, $"{string.Join(", ", moved)} of {victim.Name} not streaming elsewhere 20 s after SIGKILL: " + d.Logs());
        Assert.True(takeover < TimeSpan.FromSeconds(15), $"takeover took {takeover}");

        // The survivors agree on who runs what, and every camera streams.
        Assert.True(await d.WaitAllStreamingAsync(TimeSpan.FromSeconds(10)), d.Logs());
        var cluster = await d.ClusterAsync();
        var owners = cluster.GetProperty("cameras").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("node").GetString());
        var streaming = await d.StreamingAsync();
        foreach (var cam in d.Cameras) Assert.Equal(streaming[cam], owners[cam]);
        Assert.False(cluster.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == victim.Name).GetProperty("live").GetBoolean());

        await Task.Delay(2000); // events of the new runs
        await d.StopSamplingAsync();
        Assert.True(d.Samples > 20, $"only {d.Samples} samples");
        Assert.True(d.Overlaps.IsEmpty, "a camera ran on two nodes at once: " + string.Join("; ", d.Overlaps));
        var (events, overlapping) = await d.TrackOverlapsAsync();
        Assert.True(events > 0, "no events at all: " + d.Logs());
        Assert.True(overlapping.Count == 0, string.Join("\n", overlapping));
    }

    [Fact]
    public async Task A_node_cut_off_from_postgresql_stops_its_cameras_before_another_node_starts_them()
    {
        var database = pg.Server.CreateDatabase("cluster");
        using var relay = new TcpRelay(pg.Server.Port);
        var cutOff = database.Replace($"Port={pg.Server.Port}", $"Port={relay.Port}");
        await using var d = await ClusterDeployment.StartAsync(database, cameras: 3);
        await d.StartNodesAsync(3, postgresOf: i => i == 3 ? cutOff : database);
        await d.PutCamerasAsync();
        d.StartSampling();
        Assert.True(await d.WaitAllStreamingAsync(TimeSpan.FromSeconds(40)), "not every camera streams: " + d.Logs());
        var node3 = d.Nodes[2];
        Assert.True(await WaitAsync(async () => (await node3.RunningAsync()).Count > 0, TimeSpan.FromSeconds(20)), "node3 got no camera: " + d.Logs());
        var its = (await node3.RunningAsync()).Keys.ToList();

        // The partition: every connection of node3 reset, new ones refused.
        var watch = Stopwatch.StartNew();
        relay.Refuse = true;
        relay.Sever();
        TimeSpan? stopped = null, takenOver = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(20) && (stopped is null || takenOver is null))
        {
            if (stopped is null && (await node3.RunningAsync()).Count == 0) stopped = watch.Elapsed;
            var others = await Task.WhenAll(d.Nodes.Take(2).Select(n => n.RunningAsync()));
            if (takenOver is null && its.All(cam => others.Any(o => o.ContainsKey(cam)))) takenOver = watch.Elapsed;
            await Task.Delay(50);
        }
        output.WriteLine($"node3 stopped {string.Join(", ", its)} after {stopped?.TotalSeconds:0.00} s; another node started them after {takenOver?.TotalSeconds:0.00} s");
        Assert.True(stopped is not null, "node3 kept its cameras while cut off: " + d.Logs());
        Assert.True(takenOver is not null, "nobody took node3's cameras: " + d.Logs());
        Assert.True(stopped < takenOver, $"node3 stopped at {stopped}, after another node started at {takenOver}");
        Assert.True(takenOver < TimeSpan.FromSeconds(15));
        Assert.Contains("stopping the", node3.Output);

        // Healed: node3 joins again and gets a share back, still never two runners.
        relay.Refuse = false;
        Assert.True(await WaitAsync(async () => (await node3.RunningAsync()).Count > 0 && (await d.StreamingAsync()).Count == 3, TimeSpan.FromSeconds(30)),
            "node3 got no camera back after the partition healed: " + d.Logs());
        await d.StopSamplingAsync();
        Assert.True(d.Overlaps.IsEmpty, "a camera ran on two nodes at once: " + string.Join("; ", d.Overlaps));
        var (_, overlapping) = await d.TrackOverlapsAsync();
        Assert.True(overlapping.Count == 0, string.Join("\n", overlapping));
    }

    [Fact]
    public async Task A_postgresql_restart_leaves_every_stream_running_where_it_was_and_the_nodes_reconcile()
    {
        // Fencing bound above a PostgreSQL restart here (immediate stop, start: about 1..3 s on a busy box).
        var timings = new Dictionary<string, string> { ["Cluster:FenceAfter"] = "00:00:08", ["Cluster:TakeoverGrace"] = "00:00:09" };
        await using var d = await ClusterDeployment.StartAsync(pg.Server.CreateDatabase("cluster"), cameras: 3);
        await d.StartNodesAsync(3, timings);
        await d.PutCamerasAsync();
        Assert.True(await d.WaitAllStreamingAsync(TimeSpan.FromSeconds(45)), "not every camera streams: " + d.Logs());
        var before = await d.StreamingAsync();
        var startsBefore = await JobStartsAsync(d);
        d.StartSampling();

        var watch = Stopwatch.StartNew();
        pg.Server.Stop();
        await Task.Delay(1000);
        pg.Server.Start();
        output.WriteLine($"PostgreSQL down and up again in {watch.Elapsed.TotalSeconds:0.0} s");

        // Every node reconnects (its view says connected again), every camera kept streaming on the same node, no restart.
        Assert.True(await WaitAsync(async () =>
        {
            foreach (var n in d.Nodes)
                if (!(await n.GetAsync("v1/cluster")).GetProperty("connected").GetBoolean()) return false;
            return true;
        }, TimeSpan.FromSeconds(20)), "not every node reconnected: " + d.Logs());
        Assert.True(await WaitAsync(async () =>
        {
            var cluster = await d.ClusterAsync();
            return cluster.GetProperty("cameras").EnumerateArray().All(c => c.TryGetProperty("node", out var n) && before[c.GetProperty("id").GetString()!] == n.GetString());
        }, TimeSpan.FromSeconds(10)), "the locks were not taken back by the nodes that run the cameras: " + d.Logs());
        var after = await d.StreamingAsync();
        Assert.Equal(before.OrderBy(kv => kv.Key), after.OrderBy(kv => kv.Key));
        Assert.Equal(startsBefore, await JobStartsAsync(d));
        await d.StopSamplingAsync();
        Assert.True(d.Overlaps.IsEmpty, "a camera ran on two nodes at once: " + string.Join("; ", d.Overlaps));
        foreach (var n in d.Nodes) Assert.Contains("PostgreSQL reached again", n.Output);
    }

    private static async Task<string> JobStartsAsync(ClusterDeployment d)
    {
        var starts = new List<string>();
        foreach (var n in d.Nodes)
            foreach (var c in (await n.GetAsync("v1/cameras")).GetProperty("cameras").EnumerateArray())
                if (c.TryGetProperty("statistics", out var s)) starts.Add($"{n.Name}/{c.GetProperty("id").GetString()}={s.GetProperty("job_starts").GetInt64()}");
        return string.Join(",", starts.Order());
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try { if (await condition()) return true; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException) { }
            await Task.Delay(200);
        }
        return false;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterPostgres>
{
    public const string Name = "cluster";
}

/// <summary>The PostgreSQL server of the cluster tests (a database a test).</summary>
public sealed class ClusterPostgres : IDisposable
{
    public PostgresServer Server { get; } = new();
    public void Dispose() => Server.Dispose();
}
