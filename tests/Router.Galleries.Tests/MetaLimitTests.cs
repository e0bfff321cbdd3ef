using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Storage;
using Router.Tests.Common;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>Issue 12, item 7: meta is bounded on add and update (10 MB values, 10,000 keys, 20 MB PATCHes were accepted).</summary>
public sealed class MetaLimitTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-meta-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly MemoryDetectionCache _cache = new(TimeSpan.FromMinutes(10), 100);
    private GalleryEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = new GalleryEngine(new SqliteGalleryStore(Path.Combine(_dir, "g.db")), _cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance);
        await _engine.CreateGalleryAsync("g");
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<FaceSource> Detection()
    {
        var id = Guid.NewGuid().ToString("N");
        await _cache.PutAsync(new DetectFace { Id = id, BBox = new BBox(0, 0, 100, 100), Facen = TestVectors.Random(new Random(3)) });
        return FaceSource.FromDetection(id);
    }

    private async Task<RouterException> Refused(Func<Task> write)
    {
        var e = await Assert.ThrowsAnyAsync<RouterException>(write);
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        return e;
    }

    [Fact]
    public async Task Adds_over_any_meta_limit_are_bad_params_naming_the_limit()
    {
        var tooMany = Enumerable.Range(0, 10_000).ToDictionary(i => "k" + i, i => (MetaValue)i);
        Assert.Contains("10000 keys", (await Refused(async () => await _engine.AddFaceAsync("g", 1, await Detection(), tooMany))).Reason);
        var longKey = new Dictionary<string, MetaValue> { [new string('k', 129)] = 1 };
        Assert.Equal("meta", (await Refused(async () => await _engine.AddFaceAsync("g", 1, await Detection(), longKey))).Param);
        var bigValue = new Dictionary<string, MetaValue> { ["note"] = new string('x', 10_000_000) };
        var e = await Refused(async () => await _engine.AddFaceAsync("g", 1, await Detection(), bigValue));
        Assert.Equal(("meta.note", "10000000 bytes"), (e.Param, e.Value));
        var bigList = new Dictionary<string, MetaValue> { ["tags"] = Enumerable.Repeat(new string('t', 100), 50).ToArray() };
        Assert.Equal("meta.tags", (await Refused(async () => await _engine.AddFaceAsync("g", 1, await Detection(), bigList))).Param);
        // Nothing was stored; meta within the limits is.
        Assert.Empty((await _engine.ListAsync("g", [], limit: 10)).Results);
        var ok = new Dictionary<string, MetaValue> { ["name"] = "Ann", ["visits"] = 3, ["tags"] = new[] { "staff" } };
        Assert.Equal(ok, (await _engine.AddFaceAsync("g", 1, await Detection(), ok)).Meta);
    }

    [Fact]
    public async Task Updates_are_checked_alone_and_merged_and_a_refused_one_changes_nothing()
    {
        var stored = new Dictionary<string, MetaValue> { ["a"] = new string('a', 4000), ["b"] = new string('b', 4000), ["c"] = new string('c', 4000) };
        await _engine.AddFaceAsync("g", 7, await Detection(), stored);
        var huge = new Dictionary<string, MetaValue?> { ["x"] = new string('x', 20_000_000) };
        Assert.Equal("meta.x", (await Refused(() => _engine.UpdateFaceAsync("g", 7, huge))).Param);
        // Each value is fine, but with what is stored the face would hold 20,004 bytes, over 16 KiB.
        var more = new Dictionary<string, MetaValue?> { ["d"] = new string('d', 4000), ["e"] = new string('e', 4000) };
        Assert.Contains("in all", (await Refused(() => _engine.UpdateFaceAsync("g", 7, more))).Reason);
        Assert.Equal(stored, (await _engine.GetFaceAsync("g", 7)).Meta);
    }

    [Fact]
    public async Task Limits_come_from_the_options()
    {
        await using var strict = new GalleryEngine(new SqliteGalleryStore(Path.Combine(_dir, "s.db")), _cache, new RandomIdGenerator(),
            NullLogger<GalleryEngine>.Instance, metaLimits: new GalleryOptions { MetaMaxKeys = 2 }.MetaLimits);
        await strict.CreateGalleryAsync("g");
        var three = new Dictionary<string, MetaValue> { ["a"] = 1, ["b"] = 2, ["c"] = 3 };
        Assert.Contains("over the limit of 2", (await Refused(async () => await strict.AddFaceAsync("g", 1, await Detection(), three))).Reason);
        Assert.Contains("Galleries:MetaMaxTotalBytes", string.Join(";", new GalleryOptions { MetaMaxTotalBytes = 10 }.Validate()));
    }
}
