using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Plugins.Mqtt;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// The MQTT plugin against a real Mosquitto broker and the real gallery engine, checked by a real
/// MQTT subscriber: Double Take's topics and payloads, retained state, the last will, Home Assistant
/// discovery, and what happens while the broker is away. Without mosquitto installed these tests fail
/// with the reason (<see cref="MosquittoServer.UnavailableReason"/>), as the PostgreSQL tests do.
/// </summary>
public sealed class MqttPluginTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private sealed class Context(IGalleryClient galleries, Dictionary<string, string?> settings) : IPluginContext
    {
        public string Name => "mqtt";
        public IGalleryClient Galleries => galleries;
        public IIdGenerator IdGenerator { get; } = new Router.Galleries.RandomIdGenerator();
        public IReadOnlyDictionary<string, string?> Settings => settings;
        public IFaceRouterPlugin? GetPlugin(string n) => null;
        public string DataDirectory => Path.GetTempPath();
        public List<(ulong EventId, IReadOnlyDictionary<string, string> Annotation)> Annotations { get; } = [];
        public void Annotate(ulong eventId, IReadOnlyDictionary<string, string> annotation) => Annotations.Add((eventId, annotation));
    }

    private static float[] Unit(float[] v)
    {
        var n = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    private static float[] Vector(int seed)
    {
        var rng = new Random(seed);
        return Unit(Enumerable.Range(0, 512).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray());
    }

    /// <summary>A unit vector whose cosine to <paramref name="person"/> is exactly <paramref name="cosine"/>: someone that much alike.</summary>
    private static float[] Alike(float[] person, double cosine, int seed)
    {
        var other = Vector(seed);
        var dot = other.Zip(person, (a, b) => a * b).Sum();
        var orthogonal = Unit(other.Zip(person, (o, p) => o - dot * p).ToArray());
        var sine = Math.Sqrt(1 - cosine * cosine);
        return Unit(person.Zip(orthogonal, (p, o) => (float)(cosine * p + sine * o)).ToArray());
    }

    private static async Task<DetectFace> Detect(EngineTestGalleries g, float[] v, BBox box) =>
        new DetectFace { BBox = box, Facen = v, Id = await g.StoreAsync(new DetectFace { BBox = box, Facen = v }, default) };

    private static FaceRequest Request(string cam, DateTimeOffset t, BBox box, Dictionary<string, string>? labels = null) => new()
    {
        Photo = new byte[] { 0xFF, 0xD8, 0xFF }, BBox = box, CamId = cam, Timestamp = t, Labels = labels ?? new Dictionary<string, string>(),
    };

    private static MqttPlugin Plugin(EngineTestGalleries g, int port, Dictionary<string, string?> extra) => Plugin(g, port, extra, out _);

    private static MqttPlugin Plugin(EngineTestGalleries g, int port, Dictionary<string, string?> extra, out Context context)
    {
        var settings = new Dictionary<string, string?>
        {
            ["host"] = "127.0.0.1", ["port"] = port.ToString(), ["client_id"] = "router-test-" + Guid.NewGuid().ToString("N")[..8],
            ["galleries:0"] = "vip", ["reconnect:backoff"] = "0.05", ["reconnect:max"] = "0.5", ["timeout"] = "5",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        context = new Context(g, settings);
        return new MqttPlugin(context, NullLogger<MqttPlugin>.Instance);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task AMatch_IsPublishedOnMatchesName_InDoubleTakesShape_WithCameraCounts_RetainedLastSeen_AndDiscovery()
    {
        using var broker = new MosquittoServer();
        await using var g = new EngineTestGalleries();
        var alice = Vector(1);
        var aliceFace = await g.EnrollAsync("vip", alice, subject: "Alice");
        await g.EnrollAsync("vip", Vector(2), subject: "Bob Smith"); // never seen: announced at start all the same
        await using var sub = await MqttSubscriber.ConnectAsync(broker.Port, "router/#", "homeassistant/#");
        var plugin = Plugin(g, broker.Port, new(), out var context);
        await sub.WaitForAsync("router/available", "online");

        var t = DateTimeOffset.Parse("2026-12-01T10:20:30.456Z");
        var box = new BBox(10, 20, 110, 140);
        var door = new Dictionary<string, string> { ["zone"] = "entrance" };
        Assert.Equal(FaceFeatures.Facen, await plugin.PreprocessAsync(Request("door", t, box), door, default));
        await plugin.ProcessAsync(Request("door", t, box, door), default, box, 41, await Detect(g, Vector(3), box), default);            // a stranger
        await plugin.ProcessAsync(Request("door", t, box, door), default, box, 42, await Detect(g, Alike(alice, 0.45, 4), box), default); // a look-alike: a miss
        await plugin.ProcessAsync(Request("door", t, box, door), default, box, 43, await Detect(g, Alike(alice, 0.80, 5), box), default); // Alice

        var match = JsonDocument.Parse((await sub.WaitForAsync("router/matches/Alice")).Payload).RootElement;
        Assert.Equal("43", match.GetProperty("id").GetString());
        Assert.True(match.GetProperty("duration").GetDouble() >= 0);
        Assert.Equal("2026-12-01T10:20:30.456Z", match.GetProperty("timestamp").GetString());
        Assert.Equal(1, match.GetProperty("attempts").GetInt32());
        Assert.Equal("door", match.GetProperty("camera").GetString());
        Assert.Equal(["entrance"], match.GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        var m = match.GetProperty("match");
        Assert.Equal("Alice", m.GetProperty("name").GetString());
        Assert.True(m.GetProperty("match").GetBoolean());
        Assert.Equal(0.80, m.GetProperty("similarity").GetDouble(), 3);
        // Percent on the compatible scale, where Double Take's default 60% is Router's identification threshold.
        Assert.Equal(Math.Round(CompatSimilarity.FromCosine(m.GetProperty("similarity").GetDouble()) * 100, 1), m.GetProperty("confidence").GetDouble(), 1);
        Assert.True(m.GetProperty("confidence").GetDouble() > 60);
        Assert.Equal(20, m.GetProperty("box").GetProperty("top").GetInt32());
        Assert.Equal(10, m.GetProperty("box").GetProperty("left").GetInt32());
        Assert.Equal(100, m.GetProperty("box").GetProperty("width").GetInt32());
        Assert.Equal(120, m.GetProperty("box").GetProperty("height").GetInt32());
        Assert.Equal("vip", m.GetProperty("gallery").GetString());
        Assert.Equal(aliceFace, m.GetProperty("face_id").GetInt64());

        // One camera message per face: unknown, miss, match, with the camera's running totals.
        await Until(() => sub.On("router/cameras/door").Count == 3, "three camera messages arrived");
        var cams = sub.On("router/cameras/door").Select(c => JsonDocument.Parse(c.Payload).RootElement).ToArray();
        Assert.Equal(["41", "42", "43"], cams.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("unknown", Assert.Single(cams[0].GetProperty("unknowns").EnumerateArray()).GetProperty("name").GetString());
        var miss = Assert.Single(cams[1].GetProperty("misses").EnumerateArray());
        Assert.Equal("Alice", miss.GetProperty("name").GetString());
        Assert.False(miss.GetProperty("match").GetBoolean());
        Assert.True(miss.GetProperty("confidence").GetDouble() is > 50 and < 60);
        Assert.Equal("Alice", Assert.Single(cams[2].GetProperty("matches").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal((1, 0, 1), (cams[0].GetProperty("personCount").GetInt32(), cams[1].GetProperty("personCount").GetInt32(), cams[2].GetProperty("personCount").GetInt32()));
        Assert.Equal((1, 0, 0), Counts(cams[2].GetProperty("counts")));
        Assert.Equal((1, 1, 1), Counts(cams[2].GetProperty("totals")));
        Assert.Single(sub.Messages, x => x.Topic.StartsWith("router/matches/", StringComparison.Ordinal)); // neither the stranger nor the look-alike
        Assert.Equal((1L, 1L, 1L), (plugin.Matches, plugin.Misses, plugin.Unknowns));
        // The events say what was published: the match, and the miss with its confidence; nothing for the stranger.
        Assert.Equal([42UL, 43UL], context.Annotations.Select(a => a.EventId));
        Assert.Equal(("miss", "Alice"), (context.Annotations[0].Annotation["outcome"], context.Annotations[0].Annotation["name"]));
        Assert.Equal(("match", "router/matches/Alice"), (context.Annotations[1].Annotation["outcome"], context.Annotations[1].Annotation["topic"]));

        // What the broker keeps, as a subscriber arriving later (Home Assistant after a restart) sees it.
        await Until(() => plugin.Publisher.Queued == 0 && plugin.Publisher.Published >= 6, "everything was published");
        await using var late = await MqttSubscriber.ConnectAsync(broker.Port, "router/#", "homeassistant/#");
        Assert.True((await late.WaitForAsync("router/available", "online")).Retained);
        var seen = await late.WaitForAsync("router/people/Alice");
        Assert.True(seen.Retained);
        var state = JsonDocument.Parse(seen.Payload).RootElement;
        Assert.Equal("door", state.GetProperty("camera").GetString());
        Assert.Equal("2026-12-01T10:20:30.456Z", state.GetProperty("last_seen").GetString());
        Assert.Equal(m.GetProperty("confidence").GetDouble(), state.GetProperty("confidence").GetDouble());

        var config = await late.WaitForAsync("homeassistant/sensor/router/alice/config");
        Assert.True(config.Retained);
        var c0 = JsonDocument.Parse(config.Payload).RootElement;
        Assert.Equal("Alice", c0.GetProperty("name").GetString());
        Assert.Equal("router_alice", c0.GetProperty("unique_id").GetString());
        Assert.Equal("sensor.router_alice", c0.GetProperty("default_entity_id").GetString());
        Assert.Equal("router/people/Alice", c0.GetProperty("state_topic").GetString());
        Assert.Equal("router/people/Alice", c0.GetProperty("json_attributes_topic").GetString());
        Assert.Equal("{{ value_json.camera }}", c0.GetProperty("value_template").GetString());
        Assert.Equal("router/available", c0.GetProperty("availability_topic").GetString());
        Assert.Equal(["router"], c0.GetProperty("device").GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
        // Bob was never seen, but is a subject of the watched gallery: his sensor exists from the start.
        var bob = JsonDocument.Parse((await late.WaitForAsync("homeassistant/sensor/router/bob_smith/config")).Payload).RootElement;
        Assert.Equal("router/people/Bob-Smith", bob.GetProperty("state_topic").GetString());
        Assert.Single(sub.On("homeassistant/sensor/router/alice/config")); // announced once, not once per match

        await plugin.ShutdownAsync(default);
        Assert.Equal(0, plugin.Publisher.Dropped);
    }

    private static (int, int, int) Counts(JsonElement e) =>
        (e.GetProperty("match").GetInt32(), e.GetProperty("miss").GetInt32(), e.GetProperty("unknown").GetInt32());

    [Fact]
    public async Task Availability_IsRetainedOnline_TheLastWillSaysOffline_WhenTheConnectionDrops_AndACleanStopSaysOffline()
    {
        using var broker = new MosquittoServer();
        using var relay = new TcpRelay(broker.Port);
        await using var g = new EngineTestGalleries();
        await using var sub = await MqttSubscriber.ConnectAsync(broker.Port, "router/available");
        var plugin = Plugin(g, relay.Port, new() { ["keepalive"] = "5" });
        await sub.WaitForAsync("router/available", "online");
        Assert.Equal(1, plugin.Publisher.Connects);

        // The network drops the plugin's connection: the broker publishes the will, then the plugin reconnects.
        relay.Sever();
        await sub.WaitForAsync(m => m.Topic == "router/available" && m.Payload == "offline", Wait, "offline (the will)");
        await Until(() => sub.Messages.Select(m => m.Payload).SkipWhile(p => p != "offline").Contains("online"), "online again after the will");
        Assert.Equal(2, plugin.Publisher.Connects);
        await using (var late = await MqttSubscriber.ConnectAsync(broker.Port, "router/available"))
            Assert.True((await late.WaitForAsync("router/available", "online")).Retained);

        // A clean stop says offline itself (a clean disconnect sends no will), and the broker keeps it.
        await plugin.ShutdownAsync(default);
        await using var after = await MqttSubscriber.ConnectAsync(broker.Port, "router/available");
        var retained = await after.WaitForAsync("router/available");
        Assert.Equal(("offline", true), (retained.Payload, retained.Retained));
    }

    [Fact]
    public async Task WhileTheBrokerIsDown_MessagesAreQueued_DroppedOnesCounted_AndTheQueueIsDeliveredAfterItRestarts()
    {
        using var broker = new MosquittoServer();
        // The plugin reaches the broker through a relay that the test can close, so that the test's
        // subscriber is listening on the restarted broker before the plugin gets back in.
        using var relay = new TcpRelay(broker.Port);
        await using var g = new EngineTestGalleries();
        var plugin = Plugin(g, relay.Port, new() { ["queue"] = "3", ["discovery:enabled"] = "false" });
        await Until(() => plugin.Publisher.Connected, "the plugin connected");

        broker.Stop();
        await Until(() => !plugin.Publisher.Connected, "the plugin saw the broker go");
        relay.Refuse = true;
        var box = new BBox(0, 0, 80, 80);
        var t = DateTimeOffset.UtcNow;
        // Five strangers: one camera message each. ProcessAsync only queues, so it returns with the broker away.
        for (ulong id = 1; id <= 5; id++)
            await plugin.ProcessAsync(Request("yard", t, box), default, box, id, await Detect(g, Vector(100 + (int)id), box), default);
        Assert.False(plugin.Publisher.Connected);
        Assert.Equal((3, 2L, 0L), (plugin.Publisher.Queued, plugin.Publisher.Dropped, plugin.Publisher.Published));

        broker.Start();
        await using var sub = await MqttSubscriber.ConnectAsync(broker.Port, "router/#");
        relay.Refuse = false;
        await sub.WaitForAsync("router/available", "online");
        await Until(() => sub.On("router/cameras/yard").Count == 3, "the three queued messages arrived");
        Assert.Equal(["1", "2", "3"], sub.On("router/cameras/yard").Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("id").GetString()));
        Assert.Equal((0, 2L, 3L), (plugin.Publisher.Queued, plugin.Publisher.Dropped, plugin.Publisher.Published));
        Assert.True(plugin.Publisher.ConnectFailures > 0);

        // The queue takes messages again once it has room.
        await plugin.ProcessAsync(Request("yard", t, box), default, box, 6, await Detect(g, Vector(106), box), default);
        await Until(() => sub.On("router/cameras/yard").Count == 4, "a new message arrived");
        await plugin.ShutdownAsync(default);
    }

    [Fact]
    public async Task Stopping_WhileTheBrokerIsAway_DoesNotWaitForIt()
    {
        using var broker = new MosquittoServer();
        await using var g = new EngineTestGalleries();
        var plugin = Plugin(g, broker.Port, new() { ["timeout"] = "60", ["discovery:enabled"] = "false" });
        await Until(() => plugin.Publisher.Connected, "the plugin connected");
        broker.Stop();
        await Until(() => !plugin.Publisher.Connected, "the plugin saw the broker go");
        var box = new BBox(0, 0, 80, 80);
        await plugin.ProcessAsync(Request("yard", DateTimeOffset.UtcNow, box), default, box, 1, await Detect(g, Vector(7), box), default);
        Assert.Equal(1, plugin.Publisher.Queued);

        // With no token to end it, a stop that waited for the broker would never return; the host's
        // shutdown timeout would cut it off before the plugin could clean up.
        var stop = plugin.ShutdownAsync(default).AsTask();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(30))));
        await stop;
        Assert.Equal(0L, plugin.Publisher.Published);
    }
}
