using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Host.Plugins;
using Router.Plugins.Visitors;
using Router.Plugins.Watchlist;
using Router.Tests.Common.Http;
using Xunit;

namespace Router.Host.Tests.Plugins;

/// <summary>The sample plugins against the real gallery engine, with detections cached as the router caches them.</summary>
public sealed class SamplePluginTests
{
    private sealed class Context(string name, IGalleryClient galleries, Dictionary<string, string?> settings, string data) : IPluginContext
    {
        public string Name => name;
        public IGalleryClient Galleries => galleries;
        public IIdGenerator IdGenerator { get; } = new Router.Galleries.RandomIdGenerator();
        public IReadOnlyDictionary<string, string?> Settings => settings;
        public IFaceRouterPlugin? GetPlugin(string n) => null;
        public string DataDirectory => data;
        public List<(ulong EventId, IReadOnlyDictionary<string, string> Annotation)> Annotations { get; } = [];
        public void Annotate(ulong eventId, IReadOnlyDictionary<string, string> annotation) => Annotations.Add((eventId, annotation));
    }

    private static float[] Vector(int seed, float[]? near = null)
    {
        var rng = new Random(seed);
        var v = new float[512];
        for (int i = 0; i < v.Length; i++) v[i] = (near?[i] ?? 0) * 40 + (float)(rng.NextDouble() - 0.5);
        var n = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    private static async Task<DetectFace> Detect(EngineTestGalleries g, float[] v) =>
        new DetectFace { BBox = new BBox(1, 1, 50, 50), Facen = v, Id = await g.StoreAsync(new DetectFace { BBox = new BBox(1, 1, 50, 50), Facen = v }, default) };

    private static FaceRequest Request(string cam, DateTimeOffset t) => new()
    {
        Photo = new byte[] { 0xFF, 0xD8, 0xFF }, Face0 = new byte[] { 0xFF, 0xD8, 0xFF, 1, 2 },
        BBox = new BBox(1, 1, 50, 50), CamId = cam, Timestamp = t,
    };

    [Fact]
    public async Task Watchlist_PostsTheMatchToAWebhook_RetryingAfterFailures_AndIgnoresStrangers()
    {
        using var hook = new WebhookListener(failFirst: 2);
        await using var g = new EngineTestGalleries();
        var wanted = Vector(1);
        var faceId = await g.EnrollAsync("vip", wanted, new Dictionary<string, MetaValue> { ["name"] = "Alice" });
        var plugin = new WatchlistPlugin(new Context("watchlist", g, new()
        {
            ["galleries:0"] = "vip", ["threshold"] = "0.6", ["webhook:url"] = hook.Url, ["webhook:backoff"] = "0.05",
        }, Path.GetTempPath()), NullLogger<WatchlistPlugin>.Instance);

        var t = DateTimeOffset.UtcNow;
        Assert.Equal(FaceFeatures.Facen, await plugin.PreprocessAsync(Request("cam-7", t), new Dictionary<string, string>(), default));
        await plugin.ProcessAsync(Request("cam-7", t), default, new BBox(1, 1, 50, 50), 42, await Detect(g, Vector(2)), default);   // a stranger
        await plugin.ProcessAsync(Request("cam-7", t), default, new BBox(1, 1, 50, 50), 43, await Detect(g, Vector(3, wanted)), default);

        var body = JsonDocument.Parse(await hook.WaitForBodyAsync(TimeSpan.FromSeconds(10))).RootElement;
        Assert.Equal("43", body.GetProperty("event_id").GetString());
        Assert.Equal("vip", body.GetProperty("gallery").GetString());
        Assert.Equal(faceId, body.GetProperty("face_id").GetInt64());
        Assert.Equal("Alice", body.GetProperty("meta").GetProperty("name").GetString());
        Assert.Equal("cam-7", body.GetProperty("cam_id").GetString());
        Assert.True(body.GetProperty("confidence").GetDouble() >= 0.6);
        Assert.Equal(Convert.ToBase64String(new byte[] { 0xFF, 0xD8, 0xFF, 1, 2 }), body.GetProperty("face0").GetString());
        await plugin.ShutdownAsync(default);
        Assert.Equal(1, plugin.Matches);
        Assert.Equal(3, hook.Requests); // two 503s, then delivered
        Assert.Equal((1L, 0L), (plugin.Webhook!.Sent, plugin.Webhook.Dropped));
    }

    private static float[] Mix(params (float Weight, float[] V)[] parts)
    {
        var v = new float[512];
        foreach (var (w, x) in parts)
            for (int i = 0; i < v.Length; i++) v[i] += w * x[i];
        var n = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    [Fact]
    public async Task Watchlist_WaitsAsLongAsTheReceiversRetryAfterAsks()
    {
        using var hook = new WebhookListener(failFirst: 1, retryAfterSeconds: 2);
        await using var g = new EngineTestGalleries();
        var wanted = Vector(1);
        await g.EnrollAsync("vip", wanted, subject: "Alice");
        var plugin = new WatchlistPlugin(new Context("watchlist", g, new()
        {
            ["galleries:0"] = "vip", ["webhook:url"] = hook.Url, ["webhook:backoff"] = "0.01",
        }, Path.GetTempPath()), NullLogger<WatchlistPlugin>.Instance);
        await plugin.ProcessAsync(Request("door", DateTimeOffset.UtcNow), default, default, 1, await Detect(g, Vector(2, wanted)), default);
        await hook.WaitForBodyAsync(TimeSpan.FromSeconds(10));
        var times = hook.RequestTimes.ToArray();
        Assert.Equal(2, times.Length);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(1.9), $"retried after {(times[1] - times[0]).TotalSeconds:F2} s, not the 2 s asked");
        await plugin.ShutdownAsync(default);
    }

    [Fact]
    public async Task Watchlist_StopsCallingAReceiverThatKeepsFailing()
    {
        using var hook = new WebhookListener(failFirst: 1000);
        await using var g = new EngineTestGalleries();
        var wanted = Vector(1);
        await g.EnrollAsync("vip", wanted, subject: "Alice");
        var plugin = new WatchlistPlugin(new Context("watchlist", g, new()
        {
            ["galleries:0"] = "vip", ["webhook:url"] = hook.Url, ["webhook:retries"] = "0",
        }, Path.GetTempPath()), NullLogger<WatchlistPlugin>.Instance);
        for (int i = 0; i < 8; i++)
        {
            await plugin.ProcessAsync(Request("door", DateTimeOffset.UtcNow), default, default, (ulong)i, await Detect(g, Vector(20 + i, wanted)), default);
            // One at a time, so that each alert meets the circuit as the one before left it.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (plugin.Webhook!.Failed <= i && DateTime.UtcNow < deadline) await Task.Delay(10);
        }
        // Five failures open the circuit; the three alerts after them fail without a request.
        Assert.Equal(8, plugin.Webhook!.Failed);
        Assert.Equal(5, hook.Requests);
        await plugin.ShutdownAsync(default);
    }

    [Fact]
    public async Task Watchlist_CountsTheAlertsItDropsWhenItsWebhookQueueIsFull()
    {
        using var hook = new WebhookListener(failFirst: 1000); // a receiver that keeps failing
        await using var g = new EngineTestGalleries();
        var wanted = Vector(1);
        await g.EnrollAsync("vip", wanted, subject: "Alice");
        var plugin = new WatchlistPlugin(new Context("watchlist", g, new()
        {
            ["galleries:0"] = "vip", ["webhook:url"] = hook.Url, ["webhook:queue"] = "1", ["webhook:backoff"] = "5", ["webhook:retries"] = "1",
        }, Path.GetTempPath()), NullLogger<WatchlistPlugin>.Instance);
        for (int i = 0; i < 5; i++)
            await plugin.ProcessAsync(Request("door", DateTimeOffset.UtcNow), default, default, (ulong)i, await Detect(g, Vector(10 + i, wanted)), default);
        // One alert in the queue, at most one with the sender: the others were dropped, and counted.
        Assert.Equal(5, plugin.Matches);
        Assert.InRange(plugin.Webhook!.Dropped, 3, 4);
        await plugin.ShutdownAsync(new CancellationTokenSource(TimeSpan.FromSeconds(1)).Token).AsTask().ContinueWith(_ => { });
    }

    [Fact]
    public async Task Watchlist_NamesTheSubject_AndStopsReportingAStrangerMarkedAsNotThem()
    {
        await using var g = new EngineTestGalleries();
        var alice = Vector(1);
        var other = Vector(2);
        await g.EnrollAsync("vip", alice, subject: "Alice");
        await g.EnrollAsync("vip", Vector(5, alice), subject: "Alice"); // a second photo of her
        var context = new Context("watchlist", g, new() { ["galleries:0"] = "vip" }, Path.GetTempPath());
        var plugin = new WatchlistPlugin(context, NullLogger<WatchlistPlugin>.Instance);
        var t = DateTimeOffset.UtcNow;
        // A stranger who looks like Alice (about 0.55 to her first photo, over the 0.48 default).
        var strangerFirst = await Detect(g, Mix((0.6f, alice), (0.8f, other)));
        await plugin.ProcessAsync(Request("door", t), default, default, 1, strangerFirst, default);
        Assert.Equal(1, plugin.Matches);

        // The operator says: this is not Alice. The stranger's next sighting is not reported; Alice still is.
        await g.Gallery("vip").AddNegativeAsync("Alice", FaceSource.FromDetection(strangerFirst.Id!));
        await plugin.ProcessAsync(Request("door", t), default, default, 2, await Detect(g, Mix((0.55f, alice), (0.8f, other), (0.2f, Vector(3)))), default);
        Assert.Equal(1, plugin.Matches);
        await plugin.ProcessAsync(Request("door", t), default, default, 3, await Detect(g, Vector(4, alice)), default);
        Assert.Equal(2, plugin.Matches);
        // Each match names the person on its event.
        Assert.Equal([(1UL, "Alice"), (3UL, "Alice")], context.Annotations.Select(a => (a.EventId, a.Annotation["match"])));
        await plugin.ShutdownAsync(default);
    }

    [Fact]
    public async Task Visitors_CountsOnePassOnce_ANewPassAgain_AndSkipsWatchlistedPeople()
    {
        await using var g = new EngineTestGalleries();
        var known = Vector(10);
        await g.EnrollAsync("vip", known);
        var plugin = new VisitorsPlugin(new Context("visitors", g, new()
        {
            ["watchlist_galleries"] = "vip", ["threshold"] = "0.6", ["debounce"] = "60",
        }, Path.GetTempPath()), NullLogger<VisitorsPlugin>.Instance);

        var person = Vector(20);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        // One pass: five sightings within a few seconds, from slightly different shots.
        for (int i = 0; i < 5; i++)
            await plugin.ProcessAsync(Request("door", t0.AddSeconds(i)), default, default, (ulong)i, await Detect(g, Vector(100 + i, person)), default);
        // A watchlisted person is not a visitor.
        await plugin.ProcessAsync(Request("door", t0), default, default, 50, await Detect(g, Vector(30, known)), default);

        var visitors = await g.Gallery("visitors").ListAsync();
        var v = Assert.Single(visitors.Results);
        Assert.Equal(1, v.Meta["visits"].AsInt);
        Assert.Equal(VisitorsPlugin.SubjectPrefix + v.Id.Face, v.Subject); // a stable identity for the unknown person
        Assert.Equal("door", v.Meta["cam_id"].AsString);
        Assert.Equal(t0.ToUnixTimeSeconds(), v.Meta["first_seen"].AsInt);

        // Back an hour later: a second visit.
        await plugin.ProcessAsync(Request("door", t0.AddHours(1)), default, default, 60, await Detect(g, Vector(200, person)), default);
        v = Assert.Single((await g.Gallery("visitors").ListAsync()).Results);
        Assert.Equal(2, v.Meta["visits"].AsInt);
        Assert.Equal(t0.AddHours(1).ToUnixTimeSeconds(), v.Meta["last_seen"].AsInt);
    }
}
