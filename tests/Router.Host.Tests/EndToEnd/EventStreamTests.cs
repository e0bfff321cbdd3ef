using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Host.Events;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// GET /v1/events/stream on the composed host of `router run`, over real HTTP on 127.0.0.1:
/// heartbeats on an idle stream, events as they are published, a clean end when the host
/// stops, and a disconnected client leaving the feed.
/// </summary>
public sealed class EventStreamTests
{
    /// <summary>Far below the 15 s default, so that a stream ignoring the option fails the bounds below.</summary>
    private const string HeartbeatSeconds = "0.3";

    /// <summary>Generous for a loaded machine; every wait in these tests is bounded by it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task<RouterTestHost> StartHostAsync()
    {
        var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?> { ["Events:HeartbeatSeconds"] = HeartbeatSeconds });
        Directory.CreateDirectory(host.PluginsDirectory);
        await host.StartAsync();
        return host;
    }

    private static Uri StreamUrl(RouterTestHost host, string query = "") => new($"http://127.0.0.1:{host.Port}/v1/events/stream{query}");

    private static RoutedEvent Event(ulong id, string camId) => new()
    {
        Id = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        EventId = id,
        CamId = camId,
        BBox = new BBox(10, 20, 110, 140),
        Timestamp = DateTimeOffset.UtcNow,
        Features = FaceFeatures.Facen | FaceFeatures.Detection,
        Plugins = [new PluginOutcome("watchlist", "processed", FaceFeatures.Facen, 1.25, null)],
        RoutedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task An_idle_stream_gets_heartbeat_comments_at_the_configured_interval()
    {
        await using var host = await StartHostAsync();
        using var timeout = new CancellationTokenSource(Bound);
        await using var client = await ServerSentEventClient.ConnectAsync(StreamUrl(host), timeout.Token);
        var connected = await client.ReadFrameAsync(timeout.Token);
        Assert.Equal(["connected"], connected?.Comments);

        // Three heartbeats within 5 s: at the 0.3 s interval that is slack enough for a loaded machine, at the default 15 s impossible.
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        heartbeats.CancelAfter(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 3; i++)
        {
            var frame = await client.ReadFrameAsync(heartbeats.Token);
            Assert.NotNull(frame);
            Assert.True(frame.IsCommentOnly, $"an idle stream sent an event: {frame}");
            Assert.Equal(["heartbeat"], frame.Comments);
        }
    }

    [Fact]
    public async Task A_published_event_reaches_the_client_as_a_face_event_with_its_id_and_json()
    {
        await using var host = await StartHostAsync();
        using var timeout = new CancellationTokenSource(Bound);
        await using var all = await ServerSentEventClient.ConnectAsync(StreamUrl(host), timeout.Token);
        await using var doorOnly = await ServerSentEventClient.ConnectAsync(StreamUrl(host, "?cam_id=door"), timeout.Token);
        // The ": connected" comment is written after the subscription is made: from here on nothing published is missed.
        Assert.NotNull(await all.ReadFrameAsync(timeout.Token));
        Assert.NotNull(await doorOnly.ReadFrameAsync(timeout.Token));

        var feed = host.Services.GetRequiredService<EventFeed>();
        const ulong doorId = 18_446_744_073_709_551_557; // beyond 2^53: the id must survive as a string
        feed.Publish(Event(41, "hall"));
        feed.Publish(Event(doorId, "door"));

        var hall = await all.ReadEventAsync(timeout.Token);
        Assert.Equal(("face", "41"), (hall.Event, hall.Id));
        var door = await all.ReadEventAsync(timeout.Token);
        Assert.Equal(("face", "18446744073709551557"), (door.Event, door.Id));
        var json = JsonDocument.Parse(door.Data!).RootElement;
        Assert.Equal("18446744073709551557", json.GetProperty("id").GetString());
        Assert.Equal("door", json.GetProperty("cam_id").GetString());
        Assert.Equal(["facen", "detection"], json.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        var plugin = json.GetProperty("plugins").EnumerateArray().Single();
        Assert.Equal(["facen"], plugin.GetProperty("features").EnumerateArray().Select(f => f.GetString()));

        // The camera filter: the hall event never reaches the door-only client.
        var filtered = await doorOnly.ReadEventAsync(timeout.Token);
        Assert.Equal("18446744073709551557", filtered.Id);
    }

    [Fact]
    public async Task Stopping_the_host_ends_an_open_stream_cleanly_and_promptly()
    {
        var host = await StartHostAsync();
        await using var _ = host;
        using var timeout = new CancellationTokenSource(Bound * 2);
        await using var client = await ServerSentEventClient.ConnectAsync(StreamUrl(host), timeout.Token);
        Assert.NotNull(await client.ReadFrameAsync(timeout.Token));
        var reading = client.ReadToEndAsync(timeout.Token);

        // A stream the host waited for would hold the stop until the 30 s shutdown timeout.
        var stopping = host.StopAsync();
        Assert.True(await Task.WhenAny(stopping, Task.Delay(Bound)) == stopping, $"the host did not stop within {Bound}: the open stream holds it");
        await stopping;

        // The read ends (end of stream, not a broken connection: that would throw here).
        await reading.WaitAsync(Bound);
        var problems = host.Log.AtLeast(LogLevel.Warning);
        Assert.True(problems.Count == 0, "the host logged on stop:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task A_client_that_disconnects_leaves_the_feeds_subscribers()
    {
        await using var host = await StartHostAsync();
        var feed = host.Services.GetRequiredService<EventFeed>();
        var before = feed.Subscribers;
        using var timeout = new CancellationTokenSource(Bound);

        var client = await ServerSentEventClient.ConnectAsync(StreamUrl(host), timeout.Token);
        Assert.NotNull(await client.ReadFrameAsync(timeout.Token));
        Assert.Equal(before + 1, feed.Subscribers);

        // Mid-stream: an event is read, then the connection is dropped.
        feed.Publish(Event(7, "hall"));
        Assert.Equal("7", (await client.ReadEventAsync(timeout.Token)).Id);
        await client.DisposeAsync();

        Assert.True(await RouterTestHost.WaitForAsync(() => Task.FromResult(feed.Subscribers == before), Bound),
            $"{feed.Subscribers} subscribers after the client left, {before} before it came");
        // The feed still publishes (nothing is waiting on the departed client).
        feed.Publish(Event(8, "hall"));
        Assert.Equal(before, feed.Subscribers);
        var problems = host.Log.AtLeast(LogLevel.Warning);
        Assert.True(problems.Count == 0, "the host logged on the disconnect:\n" + string.Join("\n", problems));
    }
}
