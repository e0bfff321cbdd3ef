using Router.Abstractions;
using Router.Galleries.Detections;
using Xunit;

namespace Router.Galleries.Tests;

public class MemoryDetectionCacheTests
{
    private static DetectFace Detection(string id) => new() { Id = id, BBox = new BBox(0, 0, 10, 10), Facen = new float[512] };

    [Fact]
    public async Task Entries_expire_after_the_ttl()
    {
        var clock = new ManualTimeProvider();
        var cache = new MemoryDetectionCache(TimeSpan.FromMinutes(10), 100, clock);
        await cache.PutAsync(Detection("a"));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(await cache.GetAsync("a"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await cache.GetAsync("a"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task The_least_recently_used_go_first_past_capacity()
    {
        var cache = new MemoryDetectionCache(TimeSpan.FromMinutes(10), 2);
        await cache.PutAsync(Detection("a"));
        await cache.PutAsync(Detection("b"));
        Assert.NotNull(await cache.GetAsync("a")); // a is now more recent than b
        await cache.PutAsync(Detection("c"));
        Assert.NotNull(await cache.GetAsync("a"));
        Assert.Null(await cache.GetAsync("b"));
        Assert.NotNull(await cache.GetAsync("c"));
    }

    [Fact]
    public async Task Refuses_detections_without_facen()
    {
        var cache = new MemoryDetectionCache(TimeSpan.FromMinutes(1), 10);
        await Assert.ThrowsAsync<ArgumentException>(async () => await cache.PutAsync(Detection("x") with { Facen = null }));
    }
}
