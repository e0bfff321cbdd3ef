using Router.Tests.Common;
using System.Numerics.Tensors;
using Router.Abstractions;
using Xunit;
using static Router.Abstractions.Filters;

namespace Router.Host.Tests.Api;

/// <summary>
/// The sfapi client contract, run against every client (in-process, HTTP) on every store
/// (SQLite, PostgreSQL). Embeddings enter through the server's detection cache, as a detect
/// with facen would put them there.
/// </summary>
public abstract partial class GalleryClientConformance : IAsyncLifetime
{
    private GalleryBackend _backend = null!;
    private readonly Random _rng = new(11);

    protected ApiTestServer Server { get; private set; } = null!;
    protected IGalleryClient Client { get; private set; } = null!;

    protected abstract GalleryBackend CreateBackend();
    protected abstract IGalleryClient CreateClient(ApiTestServer server);

    public async Task InitializeAsync()
    {
        _backend = CreateBackend();
        Server = await ApiTestServer.StartAsync(_backend.Settings);
        Client = CreateClient(Server);
    }

    public async Task DisposeAsync()
    {
        (Client as IDisposable)?.Dispose();
        await Server.DisposeAsync();
        _backend.Dispose();
    }

    private async Task RestartAsync()
    {
        (Client as IDisposable)?.Dispose();
        await Server.DisposeAsync();
        Server = await ApiTestServer.StartAsync(_backend.Settings);
        Client = CreateClient(Server);
    }

    private static async Task<RouterException> Expect(string code, Func<Task> action)
    {
        var e = await Assert.ThrowsAnyAsync<RouterException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    private async Task<IGallery> NewGallery(string name)
    {
        var g = Client.Gallery(name);
        await g.CreateAsync();
        return g;
    }

    private async Task<Face> Add(IGallery g, long? id, float[] vector, Dictionary<string, MetaValue>? meta = null) =>
        await g.AddAsync(id, FaceSource.FromDetection(await Server.CacheDetectionAsync(vector)), meta);

    private float[] Vec() => TestVectors.Random(_rng);

    private static long[] Ids(ListResponse r) => r.Results.Select(f => f.Id.Face).ToArray();

    private static void Same(long[] expected, long[] actual) => Assert.Equal(expected, actual);

    [Fact]
    public async Task Galleries_are_created_listed_and_dropped()
    {
        Assert.Empty(await Client.ListGalleriesAsync());
        var g = await NewGallery("alpha");
        await NewGallery("beta");
        await Add(g, 1, Vec());
        await Add(g, 2, Vec());
        var list = await Client.ListGalleriesAsync();
        Assert.Equal([new GalleryInfo("alpha", 2), new GalleryInfo("beta", 0)], list);
        await Expect(ErrorCodes.Conflict, () => g.CreateAsync());
        await g.DropAsync();
        Assert.Equal(["beta"], (await Client.ListGalleriesAsync()).Select(x => x.Name));
        await Expect(ErrorCodes.GalleryNotFound, () => g.DropAsync());
        await Expect(ErrorCodes.GalleryNotFound, () => g.GetAsync(1));
        await g.CreateAsync();
        Assert.Empty((await g.ListAsync()).Results); // the dropped gallery's faces are gone
        var bad = await Expect(ErrorCodes.BadParam, () => Client.Gallery("no such!").CreateAsync());
        Assert.Equal("no such!", bad.Value);
    }

    [Fact]
    public async Task A_face_is_added_read_updated_and_deleted()
    {
        var g = await NewGallery("people");
        var features = new FaceAttributes { Gender = new GenderEstimate("female", 0.93f), Age = 31 };
        var det = await Server.CacheDetectionAsync(Vec(), features);
        var added = await g.AddAsync(42, FaceSource.FromDetection(det),
            new Dictionary<string, MetaValue> { ["name"] = "Ann", ["age"] = 31, ["tags"] = new[] { "vip", "staff" } });
        Assert.Equal(new FaceId("people", 42), added.Id);
        Assert.Equal("female", added.Features.Gender!.Gender);
        Assert.Null(added.Confidence);

        var got = await g.GetAsync(42);
        Assert.Equal(31, got.Features.Age);
        Assert.Equal(MetaValue.Of("Ann"), got.Meta["name"]);
        Assert.Equal(MetaValue.Of(31), got.Meta["age"]);
        Assert.Equal(["vip", "staff"], got.Meta["tags"].AsList);

        await Expect(ErrorCodes.Conflict, () => g.AddAsync(42, FaceSource.FromDetection(det)));

        var updated = await g.UpdateAsync(42, new Dictionary<string, MetaValue?> { ["age"] = 32, ["name"] = null, ["city"] = "Oslo" });
        Assert.Equal(MetaValue.Of(32), updated.Meta["age"]);
        Assert.Equal(MetaValue.Of("Ann"), updated.Meta["name"]); // null leaves the key as it is
        Assert.Equal(MetaValue.Of("Oslo"), (await g.GetAsync(42)).Meta["city"]);
        await Expect(ErrorCodes.NotFound, () => g.UpdateAsync(7, new Dictionary<string, MetaValue?> { ["age"] = 1 }));

        await g.DeleteAsync(42);
        await Expect(ErrorCodes.NotFound, () => g.GetAsync(42));
        await Expect(ErrorCodes.NotFound, () => g.DeleteAsync(42));
    }

    [Fact]
    public async Task Generated_ids_are_unique_and_retried_on_a_clash()
    {
        var g = await NewGallery("gen");
        var a = await g.AddAsync(null, FaceSource.FromDetection(await Server.CacheDetectionAsync(Vec())));
        var b = await g.AddAsync(null, FaceSource.FromDetection(await Server.CacheDetectionAsync(Vec())));
        Assert.True(a.Id.Face > 0 && b.Id.Face > 0 && a.Id.Face != b.Id.Face);
        Assert.Equal(a.Id, (await g.GetAsync(a.Id.Face)).Id);

        var det = FaceSource.FromDetection(await Server.CacheDetectionAsync(Vec()));
        var ids = new Queue<long>([a.Id.Face, b.Id.Face, 777]);
        var c = await g.AddAsync(_ => ValueTask.FromResult(ids.Dequeue()), det, regenerateAttempts: 2);
        Assert.Equal(777, c.Id.Face);
        ids = new Queue<long>([a.Id.Face, b.Id.Face, 778]);
        await Expect(ErrorCodes.Conflict, () => g.AddAsync(_ => ValueTask.FromResult(ids.Dequeue()), det, regenerateAttempts: 1));
    }

    [Fact]
    public async Task Sources_are_detections_or_faces_of_any_gallery()
    {
        var src = await NewGallery("src");
        var dst = await NewGallery("dst");
        var v = Vec();
        await Add(src, 5, v);
        var copy = await dst.AddAsync(9, FaceSource.FromFace(new FaceId("src", 5)));
        Assert.Equal(new FaceId("dst", 9), copy.Id);
        var probe = await Server.CacheDetectionAsync(v);
        var hit = Assert.Single((await dst.ListAsync([Detection(probe, 0.9)])).Results);
        Assert.Equal(1.0, hit.Confidence!.Value, 5);

        await Expect(ErrorCodes.SourceNotFound, () => dst.AddAsync(1, FaceSource.FromDetection("no-such-detection")));
        await Expect(ErrorCodes.SourceGalleryNotFound, () => dst.AddAsync(1, FaceSource.FromFace(new FaceId("nogallery", 5))));
        await Expect(ErrorCodes.SourceNotFound, () => dst.AddAsync(1, FaceSource.FromFace(new FaceId("src", 404))));
        await Expect(ErrorCodes.GalleryNotFound, () => Client.Gallery("missing").AddAsync(1, FaceSource.FromFace(new FaceId("src", 5))));
        // Nothing stored was lost through the bad requests.
        Same([9L], Ids(await dst.ListAsync()));
        Same([5L], Ids(await src.ListAsync()));
    }

    [Fact]
    public async Task Id_filters_and_id_sorts()
    {
        var g = await NewGallery("ids");
        for (long id = 1; id <= 30; id++) await Add(g, id, Vec());
        Assert.Equal(Enumerable.Range(10, 11).Select(i => (long)i), Ids(await g.ListAsync([Id.Gte(10), Id.Lte(20)])));
        Same([3L, 5L], Ids(await g.ListAsync([Id.OneOf(3, 5, 40)])));
        Same([30L, 29L, 28L], Ids(await g.ListAsync(limit: 3, sort: ListSort.IdDescending)));
        Same([1L, 2L], Ids(await g.ListAsync(limit: 2, sort: ListSort.IdAscending)));
        Same([5L], Ids(await g.ListAsync([Id.OneOf(3, 5), Id.Gte(4)])));
        Assert.Equal("sort", (await Expect(ErrorCodes.BadParam, () => g.ListAsync(sort: ListSort.ConfidenceDescending))).Param);
        Assert.Equal("sort", (await Expect(ErrorCodes.BadParam, () => g.ListAsync(sort: "name"))).Param);
        var limit = await Expect(ErrorCodes.BadParam, () => g.ListAsync(limit: 0));
        Assert.Equal(("limit", "0"), (limit.Param, limit.Value));
        Assert.Equal("10001", (await Expect(ErrorCodes.BadParam, () => g.ListAsync(limit: 10001))).Value);
        Assert.Equal(30, (await g.ListAsync(limit: 10000)).Results.Count);
        Assert.Equal(30, (await g.ListAsync(ignoreErrors: true)).Results.Count);
        Assert.Equal("page", (await Expect(ErrorCodes.BadParam, () => g.ListAsync(page: "not-a-cursor"))).Param);
        await Expect(ErrorCodes.GalleryNotFound, () => Client.Gallery("nope").ListAsync());
    }

    [Fact]
    public async Task Meta_filters_over_ints_strings_and_lists()
    {
        var g = await NewGallery("meta");
        await Add(g, 1, Vec(), new() { ["age"] = 20, ["camera"] = "abc", ["tags"] = new[] { "male", "angry" } });
        await Add(g, 2, Vec(), new() { ["age"] = 45, ["camera"] = "def", ["tags"] = new[] { "male" } });
        await Add(g, 3, Vec(), new() { ["age"] = 60, ["camera"] = "ghi", ["tags"] = new[] { "female", "angry", "vip" } });
        await Add(g, 4, Vec(), new() { ["camera"] = "abc" });

        Same([2L, 3L], Ids(await g.ListAsync([Meta("age").Gte(45)])));
        Same([1L, 2L], Ids(await g.ListAsync([Meta("age").Lte(45)])));
        Same([1L, 3L], Ids(await g.ListAsync([Meta("age").OneOf(20, 60)])));
        Same([1L, 2L, 4L], Ids(await g.ListAsync([Meta("camera").OneOf("abc", "def")])));
        Same([2L, 3L], Ids(await g.ListAsync([Meta("camera").Gte("b")])));
        Same([1L, 3L], Ids(await g.ListAsync([Meta("tags").Subset("angry")])));
        Same([1L], Ids(await g.ListAsync([Meta("tags").Subset("male", "angry")])));
        Same([3L], Ids(await g.ListAsync([Meta("tags").OneOf("vip", "none")])));
        Same([2L], Ids(await g.ListAsync([Meta("age").Gte(30), Meta("camera").OneOf("abc", "def"), Id.Lte(3)])));
        var e = await Expect(ErrorCodes.BadParam, () => g.ListAsync([Meta("age").Gte("old")]));
        Assert.Equal(("meta.age", "old"), (e.Param, e.Value));
        Assert.Equal("meta.tags", (await Expect(ErrorCodes.BadParam, () => g.ListAsync([Meta("tags").Lte("x")]))).Param);
    }

    [Fact]
    public async Task Similarity_search_with_detection_and_face_filters()
    {
        var g = await NewGallery("sim");
        var other = await NewGallery("other");
        var people = Enumerable.Range(0, 8).Select(_ => Vec()).ToArray();
        var stored = new List<(long Id, float[] V)>();
        long id = 100;
        foreach (var (person, p) in people.Select((v, i) => (v, i)))
            for (int s = 0; s < 5; s++)
            {
                var v = TestVectors.Near(person, 0.6, _rng);
                await Add(g, id, v, new() { ["person"] = p });
                stored.Add((id++, v));
            }
        var probe = TestVectors.Near(people[2], 0.6, _rng);
        var det = await Server.CacheDetectionAsync(probe);
        var expected = stored.Select(s => (s.Id, Score: (double)TensorPrimitives.CosineSimilarity(probe, s.V)))
            .Where(x => x.Score >= 0.5).OrderByDescending(x => x.Score).ThenBy(x => x.Id).ToList();
        Assert.Equal(5, expected.Count);

        var found = await g.ListAsync([Detection(det, 0.5)]);
        Assert.Equal(expected.Select(x => x.Id), Ids(found));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, found.Results[i].Confidence!.Value, 6);
        Assert.All(found.Results, f => Assert.Equal(MetaValue.Of(2), f.Meta["person"]));

        var byId = await g.ListAsync([Detection(det, 0.5)], sort: ListSort.IdAscending);
        Assert.Equal(expected.Select(x => x.Id).Order(), Ids(byId));
        Assert.All(byId.Results, f => Assert.NotNull(f.Confidence));
        Assert.Equal(expected.Select(x => x.Id).Order().Take(2), Ids(await g.ListAsync([Detection(det, 0.5), Id.Lte(expected.Min(x => x.Id) + 1)])));

        await Add(other, 1, probe);
        var viaFace = await g.ListAsync([Face(new FaceId("other", 1), 0.5)], limit: 3);
        Assert.Equal(expected.Take(3).Select(x => x.Id), Ids(viaFace));
        Assert.Equal(expected[0].Score, viaFace.Results[0].Confidence!.Value, 6);
        Assert.Empty((await g.ListAsync([Detection(det, 0.5), Meta("person").OneOf(3)])).Results);

        Assert.Equal("threshold", (await Expect(ErrorCodes.BadParam, () => g.ListAsync([Detection(det, 1.5)]))).Param);
        await Expect(ErrorCodes.SourceNotFound, () => g.ListAsync([Detection("expired-or-unknown", 0.5)]));
        await Expect(ErrorCodes.SourceGalleryNotFound, () => g.ListAsync([Face(new FaceId("ghost", 1), 0.5)]));
        await Expect(ErrorCodes.SourceNotFound, () => g.ListAsync([Face(new FaceId("other", 2), 0.5)]));
    }

    [Fact]
    public async Task Id_paging_stays_correct_while_faces_are_added_and_removed()
    {
        var g = await NewGallery("paging");
        for (long id = 10; id <= 250; id += 10) await Add(g, id, Vec());
        var p1 = await g.ListAsync(limit: 10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10L), Ids(p1));
        Assert.NotNull(p1.NextPage);
        await g.DeleteAsync(110);        // the next page's first face
        await Add(g, 95, Vec());         // before the cursor (100): not on later pages
        await Add(g, 255, Vec());        // after the cursor: must appear
        var p2 = await g.ListAsync(limit: 10, page: p1.NextPage);
        Assert.Equal(Enumerable.Range(12, 10).Select(i => i * 10L), Ids(p2));
        var p3 = await g.ListAsync(limit: 10, page: p2.NextPage);
        Same([220L, 230L, 240L, 250L, 255L], Ids(p3));
        Assert.Null(p3.NextPage);

        var d1 = await g.ListAsync(limit: 4, sort: ListSort.IdDescending);
        Same([255L, 250L, 240L, 230L], Ids(d1));
        await g.DeleteAsync(220);
        var d2 = await g.ListAsync(limit: 4, sort: ListSort.IdDescending, page: d1.NextPage);
        Same([210L, 200L, 190L, 180L], Ids(d2));
        Assert.Equal("page", (await Expect(ErrorCodes.BadParam, () => g.ListAsync(limit: 4, page: d1.NextPage))).Param);
    }

    [Fact]
    public async Task Confidence_paging_visits_every_match_once_while_faces_change()
    {
        var g = await NewGallery("confpage");
        var person = Vec();
        var vectors = new Dictionary<long, float[]>();
        for (long id = 1; id <= 40; id++)
        {
            vectors[id] = TestVectors.Near(person, 0.3 + id * 0.02, _rng);
            await Add(g, id, vectors[id]);
        }
        var det = await Server.CacheDetectionAsync(person);
        var order = vectors.Select(kv => (kv.Key, Score: (double)TensorPrimitives.CosineSimilarity(person, kv.Value)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Key).Select(x => x.Key).ToList();
        var p1 = await g.ListAsync([Detection(det, 0.1)], limit: 15);
        Assert.Equal(order.Take(15), Ids(p1));
        await g.DeleteAsync(order[20]);
        var p2 = await g.ListAsync([Detection(det, 0.1)], limit: 15, page: p1.NextPage);
        Assert.Equal(order.Skip(15).Where(i => i != order[20]).Take(15), Ids(p2));
        var p3 = await g.ListAsync([Detection(det, 0.1)], limit: 15, page: p2.NextPage);
        Assert.Equal(order.Skip(31), Ids(p3));
        Assert.Null(p3.NextPage);
    }

    [Fact]
    public async Task Cached_detections_are_readable_and_detect_needs_face_models()
    {
        var v = Vec();
        var id = await Server.CacheDetectionAsync(v, new FaceAttributes { Age = 40 });
        var det = await Client.GetDetectionAsync(id);
        Assert.Equal(id, det.Id);
        Assert.Equal(new BBox(10, 20, 110, 140), det.BBox);
        Assert.Equal(40, det.Features.Age);
        Assert.Equal(v, det.Facen);
        await Expect(ErrorCodes.NotFound, () => Client.GetDetectionAsync("unknown"));
        // This host has no IFaceAnalyzer registered (the models land separately): a clear error, not a crash.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
        await Expect(ErrorCodes.ExtractionError, () => Client.DetectAsync(jpeg, FaceFeatures.Facen));
    }

    [Fact]
    public async Task A_restart_keeps_every_face()
    {
        var g = await NewGallery("durable");
        var vectors = new Dictionary<long, float[]>();
        for (long id = 1; id <= 20; id++)
        {
            vectors[id] = Vec();
            await Add(g, id, vectors[id], new() { ["n"] = id });
        }
        await g.DeleteAsync(7);
        await g.UpdateAsync(8, new Dictionary<string, MetaValue?> { ["n"] = 800 });
        await RestartAsync();
        g = Client.Gallery("durable");
        var all = await g.ListAsync();
        Assert.Equal(Enumerable.Range(1, 20).Where(i => i != 7).Select(i => (long)i), Ids(all));
        Assert.Equal(MetaValue.Of(800), (await g.GetAsync(8)).Meta["n"]);
        var det = await Server.CacheDetectionAsync(vectors[13]);
        var top = (await g.ListAsync([Detection(det, 0.99)])).Results;
        Assert.Equal(13, Assert.Single(top).Id.Face);
    }
}
