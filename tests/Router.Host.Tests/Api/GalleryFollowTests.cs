using System.Diagnostics;
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
using Xunit.Abstractions;

namespace Router.Host.Tests.Api;

/// <summary>
/// Two nodes' gallery engines over one PostgreSQL database, each following the other's writes: an
/// add, a subject, a negative and a delete made on one are seen by searches on the other within a
/// second, and a deleted face never comes back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GalleryFollowTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _database = postgres.CreateDatabase("follow");
    private GalleryEngine _a = null!, _b = null!;
    private readonly MemoryDetectionCache _cacheA = new(TimeSpan.FromMinutes(5), 1000);
    private readonly Random _rng = new(3);

    private GalleryEngine Node(MemoryDetectionCache cache) =>
        new(new PostgresGalleryStore(_database), cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance, followChanges: true);

    public async Task InitializeAsync()
    {
        _a = Node(_cacheA);
        _b = Node(new MemoryDetectionCache(TimeSpan.FromMinutes(5), 1000));
        await _a.StartAsync();
        await _b.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private async Task<Face> AddOnA(string gallery, float[] v, string? subject = null)
    {
        var id = Guid.NewGuid().ToString("N");
        await _cacheA.PutAsync(new DetectFace { Id = id, BBox = new BBox(0, 0, 100, 100), Facen = v });
        return await _a.AddFaceAsync(gallery, null, FaceSource.FromDetection(id), null, subject: subject);
    }

    private static async Task<TimeSpan> Until(Func<Task<bool>> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit) throw new TimeoutException($"not seen within {limit.TotalSeconds} s");
            await Task.Delay(5);
        }
        return watch.Elapsed;
    }

    private static async Task<bool> Finds(GalleryEngine node, string gallery, float[] v, long id)
    {
        try { return (await node.ListAsync(gallery, [new VectorFilter(v, 0.99)])).Results.Any(f => f.Id.Face == id); }
        catch (RouterException e) when (e.Code == ErrorCodes.GalleryNotFound) { return false; }
    }

    [Fact]
    public async Task Writes_on_one_node_are_searchable_on_the_other_within_a_second_and_deletes_stay_deleted()
    {
        await _a.CreateGalleryAsync("shared");
        await Until(async () => (await _b.ListGalleriesAsync()).Any(g => g.Name == "shared"), TimeSpan.FromSeconds(1));

        // Write-to-visible latency over a few writes (printed; the README quotes it).
        var latencies = new List<double>();
        var faces = new List<(Face Face, float[] V)>();
        for (int i = 0; i < 20; i++)
        {
            var v = TestVectors.Random(_rng);
            var face = await AddOnA("shared", v);
            latencies.Add((await Until(() => Finds(_b, "shared", v, face.Id.Face), TimeSpan.FromSeconds(1))).TotalMilliseconds);
            faces.Add((face, v));
        }
        latencies.Sort();
        output.WriteLine($"add on A → searchable on B: p50 {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms over {latencies.Count} writes");

        // A subject and a negative example made on B hold on A.
        var (first, firstVector) = faces[0];
        await _b.SetFaceSubjectAsync("shared", first.Id.Face, "Ann");
        await Until(async () => (await _a.GetFaceAsync("shared", first.Id.Face)).Subject == "Ann", TimeSpan.FromSeconds(1));
        Assert.Equal("Ann", Assert.Single(await _a.SearchSubjectsAsync("shared", firstVector, 0.9, 5, null)).Subject);
        var negativeId = Guid.NewGuid().ToString("N");
        await _b.Detections.PutAsync(new DetectFace { Id = negativeId, BBox = new BBox(0, 0, 100, 100), Facen = firstVector });
        await _b.AddNegativeAsync("shared", "Ann", FaceSource.FromDetection(negativeId));
        await Until(async () => (await _a.SearchSubjectsAsync("shared", firstVector, 0.9, 5, null)).Count == 0, TimeSpan.FromSeconds(1));

        // Deleted on B: gone on A within a second, and it stays gone, also after A restarts.
        var (gone, goneVector) = faces[1];
        await _b.DeleteFaceAsync("shared", gone.Id.Face);
        await Until(async () => !await Finds(_a, "shared", goneVector, gone.Id.Face), TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(await Finds(_a, "shared", goneVector, gone.Id.Face));
        await _a.DisposeAsync();
        _a = Node(_cacheA);
        await _a.StartAsync();
        Assert.False(await Finds(_a, "shared", goneVector, gone.Id.Face));
        Assert.True(await Finds(_a, "shared", faces[2].V, faces[2].Face.Id.Face));

        // Dropped on A: gone on B.
        await _a.DropGalleryAsync("shared");
        await Until(async () => (await _b.ListGalleriesAsync()).All(g => g.Name != "shared"), TimeSpan.FromSeconds(1));
    }
}
