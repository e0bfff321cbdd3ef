using Router.Tests.Common;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Storage;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>The engine on a real SQLite file against a brute-force exact search.</summary>
public sealed class EngineSearchTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-gal-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Random _rng = new(7);
    private readonly List<(long Id, float[] Vector)> _faces = [];
    private readonly List<float[]> _identities = [];
    private GalleryEngine _engine = null!;
    private MemoryDetectionCache _cache = null!;

    private GalleryEngine NewEngine()
    {
        _cache = new MemoryDetectionCache(TimeSpan.FromMinutes(10), 1000);
        return new GalleryEngine(new SqliteGalleryStore(Path.Combine(_dir, "g.db")), _cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance);
    }

    public async Task InitializeAsync()
    {
        _engine = NewEngine();
        await _engine.CreateGalleryAsync("people");
        for (int p = 0; p < 100; p++) _identities.Add(TestVectors.Random(_rng));
        long id = 1;
        foreach (var center in _identities)
            for (int s = 0; s < 20; s++)
                _faces.Add((id++, TestVectors.Near(center, 0.5 + _rng.NextDouble(), _rng)));
        await _engine.ImportAsync("people", _faces);
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> Probe(float[] v)
    {
        var id = Guid.NewGuid().ToString("N");
        await _cache.PutAsync(new DetectFace { Id = id, BBox = new BBox(0, 0, 1, 1), Facen = v });
        return id;
    }

    [Fact]
    public async Task Confidence_ranking_equals_exact_brute_force()
    {
        for (int round = 0; round < 10; round++)
        {
            var probe = TestVectors.Near(_identities[round * 7], 0.8, _rng);
            var expected = _faces
                .Select(f => (f.Id, Score: (double)TensorPrimitives.CosineSimilarity(probe, f.Vector)))
                .Where(x => x.Score >= 0.3)
                .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(15).ToList();
            var page = await _engine.ListAsync("people", [Filters.Detection(await Probe(probe), 0.3)], limit: 15);
            Assert.Equal(expected.Select(e => e.Id), page.Results.Select(r => r.Id.Face));
            for (int i = 0; i < expected.Count; i++)
                Assert.Equal(expected[i].Score, page.Results[i].Confidence!.Value, 9);
        }
    }

    [Fact]
    public async Task Paging_by_confidence_visits_every_match_once_in_order()
    {
        var probe = TestVectors.Near(_identities[3], 0.8, _rng);
        var expected = _faces.Select(f => (f.Id, Score: (double)TensorPrimitives.CosineSimilarity(probe, f.Vector)))
            .Where(x => x.Score >= 0.05).OrderByDescending(x => x.Score).ThenBy(x => x.Id).Select(x => x.Id).ToList();
        Assert.True(expected.Count > 30);
        var seen = new List<long>();
        string? page = null;
        var det = await Probe(probe);
        do
        {
            var r = await _engine.ListAsync("people", [Filters.Detection(det, 0.05)], limit: 7, page: page);
            seen.AddRange(r.Results.Select(f => f.Id.Face));
            page = r.NextPage;
        } while (page is not null);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task A_restart_reloads_every_face_from_the_file()
    {
        await _engine.AddFaceAsync("people", 999_999, FaceSource.FromDetection(await Probe(_faces[0].Vector)),
            new Dictionary<string, MetaValue> { ["name"] = "Ann", ["age"] = 31, ["tags"] = new[] { "vip" } });
        var before = await _engine.ListAsync("people", null, limit: 10000);
        await _engine.DisposeAsync();
        _engine = NewEngine();
        var after = await _engine.ListAsync("people", null, limit: 10000);
        Assert.Equal(_faces.Count + 1, after.Results.Count);
        Assert.Equal(before.Results.Select(f => (f.Id, string.Join(";", f.Meta.Select(m => m.Key + "=" + m.Value)))),
                     after.Results.Select(f => (f.Id, string.Join(";", f.Meta.Select(m => m.Key + "=" + m.Value)))));
        var probe = await Probe(_faces[0].Vector);
        var top = await _engine.ListAsync("people", [Filters.Detection(probe, 0.99)], limit: 5);
        Assert.Equal([1L, 999_999L], top.Results.Select(f => f.Id.Face).Order());
    }
}
