using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Query;
using Router.Galleries.Storage;
using Router.Tests.Common;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// PostgreSQL going away under a running engine (its own server, stopped like a crash): writes get
/// STORAGE_ERROR, searches keep answering from the index, nothing acknowledged is lost, and writes
/// work again as soon as the server is back, without a restart.
/// </summary>
public sealed class PostgresStoreFaultTests : IDisposable
{
    private readonly PostgresServer _server = new();
    private readonly MemoryDetectionCache _cache = new(TimeSpan.FromMinutes(5), 1000);
    private readonly Random _rng = new(9);

    public void Dispose() => _server.Dispose();

    private async Task<FaceSource> Detection(float[] v)
    {
        var id = Guid.NewGuid().ToString("N");
        await _cache.PutAsync(new DetectFace { Id = id, BBox = new BBox(0, 0, 100, 100), Facen = v });
        return FaceSource.FromDetection(id);
    }

    [Fact]
    public async Task A_server_restart_fails_writes_meanwhile_keeps_searches_and_loses_nothing()
    {
        var database = _server.CreateDatabase("fault");
        var kept = TestVectors.Random(_rng);
        await using (var engine = new GalleryEngine(new PostgresGalleryStore(database), _cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance))
        {
            await engine.CreateGalleryAsync("g");
            var face = await engine.AddFaceAsync("g", null, await Detection(kept), new Dictionary<string, MetaValue> { ["name"] = "Ann" });

            // Several connections in the pool, as a busy node has: each is dead after the restart.
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => engine.ListAsync("g", [new VectorFilter(kept, 0.9)]))));

            _server.Stop();
            var refused = await Assert.ThrowsAsync<GalleryException>(async () => await engine.AddFaceAsync("g", null, await Detection(TestVectors.Random(_rng)), null));
            Assert.Equal(ErrorCodes.StorageError, refused.Code);
            // Searches and reads answer from memory (scores from the int8 index, within about 1e-3).
            var found = Assert.Single((await engine.ListAsync("g", [new VectorFilter(kept, 0.9)])).Results);
            Assert.Equal(face.Id, found.Id);
            Assert.InRange(found.Confidence!.Value, 0.99, 1.01);
            Assert.Equal("Ann", (await engine.GetFaceAsync("g", face.Id.Face)).Meta["name"].AsString);

            _server.Start();
            // The first write after the server is back works: the dead pooled connections were dropped.
            var after = await engine.AddFaceAsync("g", null, await Detection(TestVectors.Random(_rng)), null);
            Assert.Equal(1.0, (await engine.ListAsync("g", [new VectorFilter(kept, 0.9)])).Results[0].Confidence!.Value, 5);
            Assert.NotEqual(face.Id, after.Id);
        }
        // Everything acknowledged is in the database.
        await using (var reopened = new GalleryEngine(new PostgresGalleryStore(database), _cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance))
            Assert.Equal(2, (await reopened.ListAsync("g", null)).Results.Count);
    }
}
