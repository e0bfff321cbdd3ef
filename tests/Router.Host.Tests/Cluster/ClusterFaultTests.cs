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
