using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Router.Tests.Common.Servers;
using Router.Tests.Common.Video;

namespace Router.Host.Tests.Cluster;

/// <summary>
/// A loopback deployment for the fault tests: one PostgreSQL database (of the shared server), GStreamer's
/// RTSP server with one relay mount a camera fed by an ffmpeg publisher looping a still of a sample photo
/// (faces: events every second), and N `router run` nodes. A sampler records, every 200 ms, which nodes
/// run each camera, so that a test can assert no camera ever ran on two nodes at once.
/// </summary>
public sealed class ClusterDeployment : IAsyncDisposable
{
    private readonly List<ClipPublisher> _publishers = [];
    private readonly CancellationTokenSource _stopSampling = new();
    private Task? _sampler;

    private ClusterDeployment(string postgres, RtspGstServer rtsp, string[] cameras)
    {
        Postgres = postgres;
        Rtsp = rtsp;
        Cameras = cameras;
    }

    public string Postgres { get; }
    public RtspGstServer Rtsp { get; }
    public string[] Cameras { get; }
    public List<ClusterNode> Nodes { get; } = [];
    /// <summary>(when, camera, nodes running it) whenever a sample saw a camera on two nodes or more.</summary>
    public ConcurrentQueue<string> Overlaps { get; } = new();
    public int Samples;

    public static async Task<ClusterDeployment> StartAsync(string postgres, int cameras)
    {
        var names = Enumerable.Range(1, cameras).Select(i => $"cam{i}").ToArray();
        var rtsp = new RtspGstServer(names);
        var deployment = new ClusterDeployment(postgres, rtsp, names);
        try
        {
            await rtsp.StartAsync();
            var clip = await TestVideos.StillAsync("sample1.jpg", 4);
            foreach (var name in names)
            {
                var publisher = ClipPublisher.Rtp(clip, rtsp.RelayInput(name));
                deployment._publishers.Add(publisher);
                await publisher.StartAsync();
            }
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    public async Task StartNodesAsync(int count, IReadOnlyDictionary<string, string>? settings = null, Func<int, string>? postgresOf = null)
    {
        var start = Nodes.Count;
        var started = await Task.WhenAll(Enumerable.Range(start + 1, count)
            .Select(i => ClusterNode.StartAsync($"node{i}", postgresOf?.Invoke(i) ?? Postgres, settings)));
        lock (Nodes) Nodes.AddRange(started);
    }

    /// <summary>Stores every camera over the API of the first node (realtime best shots: an event a face a second).</summary>
    public async Task PutCamerasAsync()
    {
        foreach (var name in Cameras)
            await Nodes[0].PutCameraAsync(name, new
            {
                stream_url = Rtsp.MountUrl(name),
                settings = new { detect_fps = 2, bs_type = "realtime", realtime_post_interval = 1, realtime_post_every_interval = true, filter_min_quality = 0 },
            });
    }

    public IEnumerable<ClusterNode> Live
    {
        get { lock (Nodes) return Nodes.ToArray().Where(n => !n.Exited).ToList(); }
    }

    /// <summary>Stops node <paramref name="index"/> with SIGTERM and starts it again (same name and port), as a rolling restart does.</summary>
    public async Task RestartNodeAsync(int index, Func<Task>? whileAway = null)
    {
        ClusterNode old;
        lock (Nodes) old = Nodes[index];
        await old.TerminateAsync();
        if (whileAway is not null) await whileAway();
        var restarted = await old.RestartAsync();
        lock (Nodes) Nodes[index] = restarted;
        lock (_earlier) _earlier.Add($"==== {old.Name} (before its restart)\n{old.Output}");
        await old.DisposeAsync();
    }

    /// <summary>camera -> nodes running it now, asking every live node.</summary>
    public async Task<Dictionary<string, List<string>>> RunningAsync()
    {
        var result = Cameras.ToDictionary(c => c, _ => new List<string>());
        foreach (var node in Live.ToList())
        {
            IReadOnlyDictionary<string, long> running;
            try { running = await node.RunningAsync(); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException) { continue; }
            foreach (var cam in running.Keys) if (result.TryGetValue(cam, out var list)) list.Add(node.Name);
        }
        return result;
    }

    /// <summary>camera -> node streaming it (frames processed moving), for cameras streaming on exactly one node.</summary>
    public async Task<Dictionary<string, string>> StreamingAsync()
    {
        var first = new Dictionary<(string Node, string Cam), long>();
        foreach (var node in Live.ToList())
            try { foreach (var (cam, frames) in await node.RunningAsync()) first[(node.Name, cam)] = frames; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException) { }
        await Task.Delay(700);
        var result = new Dictionary<string, string>();
        foreach (var node in Live.ToList())
            try
            {
                foreach (var (cam, frames) in await node.RunningAsync())
                    if (first.TryGetValue((node.Name, cam), out var before) && frames > before) result[cam] = node.Name;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException) { }
        return result;
    }

    public async Task<bool> WaitAllStreamingAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if ((await StreamingAsync()).Count == Cameras.Length) return true;
            await Task.Delay(200);
        }
        return false;
    }

    public void StartSampling()
    {
        _sampler = Task.Run(async () =>
        {
            while (!_stopSampling.IsCancellationRequested)
            {
                foreach (var (cam, nodes) in await RunningAsync())
                    if (nodes.Count > 1) Overlaps.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {cam} on {string.Join(", ", nodes)}");
                Interlocked.Increment(ref Samples);
                try { await Task.Delay(200, _stopSampling.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public async Task StopSamplingAsync()
    {
        await _stopSampling.CancelAsync();
        if (_sampler is not null) await _sampler;
    }

    /// <summary>
    /// The events of every node (its own feed), and the check that the tracks of one camera on different
    /// nodes never overlap in time: a track is (node, camera, track id) from its first to its last event.
    /// </summary>
    public async Task<(int Events, List<string> Overlapping)> TrackOverlapsAsync()
    {
        var tracks = new List<(string Node, string Cam, long Track, DateTimeOffset First, DateTimeOffset Last)>();
        var events = 0;
        var ids = new HashSet<string>();
        var duplicateIds = new List<string>();
        foreach (var node in Live.ToList())
        {
            var list = (await node.GetAsync("v1/events?limit=1000")).GetProperty("events").EnumerateArray().ToList();
            events += list.Count;
            foreach (var e in list) if (!ids.Add(e.GetProperty("id").GetString()!)) duplicateIds.Add($"event id {e.GetProperty("id").GetString()} twice");
            tracks.AddRange(list.GroupBy(e => (Cam: e.GetProperty("cam_id").GetString()!, Track: e.GetProperty("track_id").GetInt64()))
                .Select(g => (node.Name, g.Key.Cam, g.Key.Track, g.Min(e => e.GetProperty("timestamp").GetDateTimeOffset()), g.Max(e => e.GetProperty("timestamp").GetDateTimeOffset()))));
        }
        var overlapping = new List<string>(duplicateIds);
        foreach (var cam in tracks.GroupBy(t => t.Cam))
            foreach (var a in cam)
                foreach (var b in cam)
                    if (string.CompareOrdinal(a.Node, b.Node) < 0 && a.First <= b.Last && b.First <= a.Last)
                        overlapping.Add($"{cam.Key}: track {a.Track} on {a.Node} [{a.First:HH:mm:ss.fff}..{a.Last:HH:mm:ss.fff}] and {b.Track} on {b.Node} [{b.First:HH:mm:ss.fff}..{b.Last:HH:mm:ss.fff}]");
        return (events, overlapping);
    }

    public async Task<JsonElement> ClusterAsync() => await Live.First().GetAsync("v1/cluster");

    public string Logs() => string.Join("\n", Nodes.Select(n => $"==== {n.Name}\n{Tail(n.Output)}"));

    private readonly List<string> _earlier = [];

    /// <summary>The whole output of every node process, those replaced by a restart included.</summary>
    public string AllOutput()
    {
        lock (_earlier) return string.Join("\n", _earlier.Concat(Nodes.Select(n => $"==== {n.Name}\n{n.Output}")));
    }

    private static string Tail(string s) => s.Length > 6000 ? s[^6000..] : s;

    public async ValueTask DisposeAsync()
    {
        await StopSamplingAsync();
        foreach (var node in Nodes) await node.DisposeAsync();
        foreach (var p in _publishers) p.Stop();
        Rtsp.Stop();
        _stopSampling.Dispose();
    }
}
