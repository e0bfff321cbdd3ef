using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Tests.Common;
using Xunit;
using Xunit.Abstractions;

namespace Router.Host.Tests.Cluster;

/// <summary>Cameras of a cluster: stored once over any node's API, run by one node, changed and removed from any node; and a rolling restart.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterCamerasTests(ClusterPostgres pg, ITestOutputHelper output)
{
    [Fact]
    public async Task A_camera_put_changed_disabled_and_deleted_on_any_node_runs_on_exactly_one_node_and_follows_every_change()
    {
        await using var d = await ClusterDeployment.StartAsync(pg.Server.CreateDatabase("cluster"), cameras: 1);
        await d.StartNodesAsync(2);
        var (a, b) = (d.Nodes[0], d.Nodes[1]);
        await a.PutCameraAsync("cam1", new { stream_url = d.Rtsp.MountUrl("cam1"), labels = new { zone = "a" },
            settings = new { detect_fps = 2, bs_type = "realtime", realtime_post_interval = 1, realtime_post_every_interval = true } });
        Assert.True(await d.WaitAllStreamingAsync(TimeSpan.FromSeconds(30)), d.Logs());
        var runner = (await d.StreamingAsync())["cam1"] == a.Name ? a : b;
        var other = runner == a ? b : a;
        var elsewhere = await other.GetAsync("v1/cameras/cam1");
        Assert.Equal("remote", elsewhere.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal(runner.Name, elsewhere.GetProperty("node").GetString());
        Assert.Equal(runner.Name, (await runner.GetAsync("v1/cameras/cam1")).GetProperty("node").GetString());
        foreach (var n in d.Nodes) Assert.False(File.Exists(Path.Combine(n.Root, "data", "cameras.json")), "cluster cameras went to cameras.json");

        // Changed on the node that does not run it: the runner restarts it with the new labels.
        await other.PutCameraAsync("cam1", new { stream_url = d.Rtsp.MountUrl("cam1"), labels = new { zone = "b" },
            settings = new { detect_fps = 2, bs_type = "realtime", realtime_post_interval = 1, realtime_post_every_interval = true } });
        Assert.True(await WaitAsync(async () => (await runner.GetAsync("v1/events?limit=50")).GetProperty("events").EnumerateArray()
            .Any(e => e.GetProperty("labels").TryGetProperty("zone", out var z) && z.GetString() == "b"), TimeSpan.FromSeconds(20)),
            "the runner did not pick up the change made on the other node: " + d.Logs());
        Assert.Single((await d.RunningAsync())["cam1"]);

        // Disabled on one node: stopped wherever it ran; deleted on the other: gone from both.
        await other.PutCameraAsync("cam1", new { stream_url = d.Rtsp.MountUrl("cam1"), enabled = false });
        Assert.True(await WaitAsync(async () => (await d.RunningAsync())["cam1"].Count == 0, TimeSpan.FromSeconds(5)), d.Logs());
        Assert.Equal("disabled", (await runner.GetAsync("v1/cameras/cam1")).GetProperty("status").GetProperty("state").GetString());
        using (var deleted = await runner.Http.DeleteAsync("v1/cameras/cam1")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(await WaitAsync(async () =>
        {
            using var r = await other.Http.GetAsync("v1/cameras/cam1");
            return r.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(5)), "the delete was not seen by the other node");
        Assert.Empty((await other.GetAsync("v1/cluster")).GetProperty("cameras").EnumerateArray());
    }

    [Fact]
    public async Task A_rolling_restart_keeps_every_camera_down_less_than_the_takeover_time_and_loses_no_acknowledged_gallery_write()
    {
        await using var d = await ClusterDeployment.StartAsync(pg.Server.CreateDatabase("cluster"), cameras: 3);
        await d.StartNodesAsync(3);
        await d.PutCamerasAsync();
        Assert.True(await d.WaitAllStreamingAsync(TimeSpan.FromSeconds(40)), "not every camera streams: " + d.Logs());
        using (var created = await d.Nodes[0].Http.PostAsync("v1/galleries/staff", null)) Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        d.StartSampling();

        // Longest time each camera streamed nowhere, sampled while the nodes restart one by one.
        var down = d.Cameras.ToDictionary(c => c, _ => TimeSpan.Zero);
        var since = d.Cameras.ToDictionary(c => c, _ => (Stopwatch?)null);
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var streaming = await d.StreamingAsync();
                foreach (var cam in d.Cameras)
                {
                    if (streaming.ContainsKey(cam)) since[cam] = null;
                    else if (since[cam] is null) since[cam] = Stopwatch.StartNew();
                    if (since[cam] is { } w && w.Elapsed > down[cam]) down[cam] = w.Elapsed;
                }
            }
        });
        var faces = new List<long>();
        for (var i = 0; i < d.Nodes.Count; i++)
        {
            var next = d.Nodes[(i + 1) % d.Nodes.Count];
            await d.RestartNodeAsync(i, async () => faces.Add(await AddFaceAsync(next))); // acknowledged while a node is away
            faces.Add(await AddFaceAsync(d.Nodes[i]));
        }
        Assert.True(await WaitAsync(async () => (await d.StreamingAsync()).Count == 3, TimeSpan.FromSeconds(20)), d.Logs());
        await watching.CancelAsync();
        await watcher;
        await d.StopSamplingAsync();
        output.WriteLine("longest time down: " + string.Join(", ", down.Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:0.0} s")));
        Assert.All(down.Values, t => Assert.True(t < TimeSpan.FromSeconds(15), $"a camera was down {t}: " + d.Logs()));
        Assert.True(d.Overlaps.IsEmpty, "a camera ran on two nodes at once: " + string.Join("; ", d.Overlaps));
        // A clean stop hands its cameras over: their next node starts them without the takeover grace.
        Assert.Contains("handed over by", d.AllOutput());
        Assert.DoesNotContain("could not hand the cameras over", d.AllOutput());
        foreach (var node in d.Nodes)
            foreach (var id in faces)
                Assert.True(await WaitAsync(async () => (await node.Http.GetAsync($"v1/galleries/staff/faces/{id}")).IsSuccessStatusCode, TimeSpan.FromSeconds(5)),
                    $"face {id} missing on {node.Name}");
    }

    private static async Task<long> AddFaceAsync(ClusterNode node)
    {
        using var photo = new ByteArrayContent(SamplePhotos.Read("sample2.jpg"));
        photo.Headers.ContentType = new("image/jpeg");
        using var detected = await node.Http.PostAsync("v1/detect?facen=true", photo);
        var detection = JsonDocument.Parse(await detected.Content.ReadAsStringAsync()).RootElement;
        Assert.True(detected.IsSuccessStatusCode, detection.ToString());
        var id = detection.GetProperty("faces")[0].GetProperty("id").GetString();
        using var added = await node.Http.PostAsJsonAsync("v1/galleries/staff/faces", new { from = "detection:" + id });
        var face = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement;
        Assert.True(added.IsSuccessStatusCode, face.ToString());
        var faceId = face.GetProperty("id");
        return faceId.ValueKind == JsonValueKind.Object ? faceId.GetProperty("face").GetInt64() : faceId.GetInt64();
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try { if (await condition()) return true; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException) { }
            await Task.Delay(200);
        }
        return false;
    }
}
