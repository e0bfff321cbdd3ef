using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Api;
using Router.Host.Events;
using Xunit;

namespace Router.Host.Tests.Events;

public sealed class EventFeedTests
{
    private static RoutedEvent Event(ulong id, string cam, DateTimeOffset t) => new()
    {
        Id = id.ToString(), EventId = id, CamId = cam, Timestamp = t, BBox = new BBox(1, 2, 3, 4), Face0 = new byte[] { 0xFF, 0xD8 },
    };

    private static EventFeed Feed(int ring, int buffer = 4) => new(Options.Create(new EventsOptions { RingSize = ring, SubscriberBuffer = buffer }));

    [Fact]
    public void The_ring_keeps_the_newest_events_and_filters_by_camera_and_time()
    {
        var feed = Feed(ring: 3);
        var t0 = DateTimeOffset.UnixEpoch.AddDays(1);
        for (ulong i = 1; i <= 5; i++) feed.Publish(Event(i, i % 2 == 0 ? "a" : "b", t0.AddSeconds(i)));
        Assert.Equal(new ulong[] { 5, 4, 3 }, feed.Recent(null, null, 10).Select(e => e.EventId));
        Assert.Equal(new ulong[] { 4 }, feed.Recent("a", null, 10).Select(e => e.EventId));
        Assert.Equal(new ulong[] { 5, 4 }, feed.Recent(null, t0.AddSeconds(4), 10).Select(e => e.EventId));
        Assert.Equal(new ulong[] { 5 }, feed.Recent(null, null, 1).Select(e => e.EventId));
        Assert.Null(feed.Find(1));
        Assert.Equal("a", feed.Find(4)!.CamId);
        Assert.Equal(5, feed.Published);
    }

    [Fact]
    public async Task A_slow_subscriber_loses_its_oldest_events_counted_and_never_blocks_publishing()
    {
        var feed = Feed(ring: 100, buffer: 2);
        using var slow = feed.Subscribe();
        using var doorOnly = feed.Subscribe("door");
        for (ulong i = 1; i <= 5; i++) feed.Publish(Event(i, i == 5 ? "door" : "hall", DateTimeOffset.UtcNow));
        Assert.Equal(3, slow.Dropped);
        Assert.Equal(4UL, (await slow.Reader.ReadAsync()).EventId);
        Assert.Equal(5UL, (await slow.Reader.ReadAsync()).EventId);
        Assert.Equal(5UL, (await doorOnly.Reader.ReadAsync()).EventId);
        Assert.Equal(0, doorOnly.Dropped);
        slow.Dispose();
        Assert.Equal(1, feed.Subscribers);
    }

    [Theory]
    [InlineData("2025-01-31T12:00:00Z", 1738324800)]
    [InlineData("2025-01-31T14:00:00+02:00", 1738324800)]
    [InlineData("2025-01-31T12:00:00", 1738324800)]
    [InlineData("1738324800", 1738324800)]
    [InlineData("1738324800.5", 1738324800)]
    public void Since_is_ISO_8601_or_unix_seconds(string value, long unix) =>
        Assert.Equal(unix, EventsEndpoints.ParseSince(value).ToUnixTimeSeconds());

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("12:00")]
    public void A_bad_since_is_BAD_PARAM(string value)
    {
        var e = Assert.Throws<RouterException>(() => EventsEndpoints.ParseSince(value));
        Assert.Equal((ErrorCodes.BadParam, "since", value), (e.Code, e.Param, e.Value));
    }
}
