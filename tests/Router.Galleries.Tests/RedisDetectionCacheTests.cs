using Router.Tests.Common;
using Router.Tests.Common.Servers;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Storage;
using Xunit;

namespace Router.Galleries.Tests;

public sealed class RedisDetectionCacheTests : IDisposable
{
    private readonly RedisTestServer _redis = new();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task Round_trips_a_detection_with_its_exact_embedding()
    {
        using var cache = RedisDetectionCache.Connect(_redis.Configuration, TimeSpan.FromMinutes(1));
        var facen = TestVectors.Random(new Random(3));
        var det = new DetectFace
        {
            Id = "d1", BBox = new BBox(1, 2, 30, 40), DetectionScore = 0.9f, Facen = facen,
            Features = new FaceAttributes { Age = 33, Gender = new GenderEstimate("male", 0.8f) },
        };
        await cache.PutAsync(det);
        var back = await cache.GetAsync("d1");
        Assert.NotNull(back);
        Assert.Equal(det.BBox, back.BBox);
        Assert.Equal(facen, back.Facen);
        Assert.Equal(33, back.Features.Age);
        Assert.Equal("male", back.Features.Gender!.Gender);
        Assert.Null(await cache.GetAsync("nope"));
    }

    [Fact]
    public async Task Entries_expire_with_the_ttl()
    {
        using var cache = RedisDetectionCache.Connect(_redis.Configuration, TimeSpan.FromMilliseconds(300));
        await cache.PutAsync(new DetectFace { Id = "short", BBox = new BBox(0, 0, 1, 1), Facen = new float[512] });
        Assert.NotNull(await cache.GetAsync("short"));
        await Task.Delay(1000);
        Assert.Null(await cache.GetAsync("short"));
    }

    [Fact]
    public async Task After_redis_restarts_the_cache_works_again_without_a_new_connection()
    {
        using var cache = RedisDetectionCache.Connect(_redis.Configuration, TimeSpan.FromMinutes(1));
        await cache.PutAsync(new DetectFace { Id = "before", BBox = new BBox(0, 0, 1, 1), Facen = new float[512] });
        _redis.Stop();
        await Assert.ThrowsAnyAsync<Exception>(async () => await cache.PingAsync());
        _redis.Start(); // empty: no persistence, as a restarted cache server
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try { await cache.PingAsync(); break; }
            catch (Exception) when (DateTime.UtcNow < deadline) { await Task.Delay(200); }
        }
        Assert.Null(await cache.GetAsync("before"));
        var facen = TestVectors.Random(new Random(5));
        await cache.PutAsync(new DetectFace { Id = "after", BBox = new BBox(0, 0, 1, 1), Facen = facen });
        Assert.Equal(facen, (await cache.GetAsync("after"))!.Facen);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting()
    {
        using var cache = RedisDetectionCache.Connect(_redis.Configuration, TimeSpan.FromMinutes(1));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cache.GetAsync("any", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await cache.PutAsync(new DetectFace { Id = "c", BBox = new BBox(0, 0, 1, 1), Facen = new float[512] }, cancelled.Token));
    }

    [Fact]
    public async Task A_dead_redis_is_a_cache_error_and_loses_no_faces()
    {
        var dir = Path.Combine(Path.GetTempPath(), "router-rc-" + Guid.NewGuid().ToString("N")[..8]);
        using var cache = RedisDetectionCache.Connect(_redis.Configuration, TimeSpan.FromMinutes(1));
        await using (var engine = new GalleryEngine(new SqliteGalleryStore(Path.Combine(dir, "g.db")), cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance))
        {
            await engine.CreateGalleryAsync("g");
            await cache.PutAsync(new DetectFace { Id = "d", BBox = new BBox(0, 0, 1, 1), Facen = TestVectors.Random(new Random(1)) });
            await engine.AddFaceAsync("g", 1, FaceSource.FromDetection("d"), null);
            _redis.Stop();
            var e = await Assert.ThrowsAsync<GalleryException>(() => engine.ListAsync("g", [Filters.Detection("d", 0.5)]));
            Assert.Equal(ErrorCodes.CacheError, e.Code);
            Assert.Equal([1L], (await engine.ListAsync("g", null)).Results.Select(f => f.Id.Face));
        }
        Directory.Delete(dir, recursive: true);
    }
}
