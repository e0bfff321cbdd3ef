using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Index;
using Router.Galleries.Storage;
using Router.Tests.Common;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>
/// The index snapshot beside a SQLite store (galleries.db.index): a restart loads it when it
/// mirrors the store exactly, or when it is older and the store's change log bridges the gap (a
/// crash, another process's writes: the changes are replayed; <see cref="GalleryEngine.LastIndexLoad"/>
/// says which path was taken); whatever else is wrong with it (damaged, another format, a log that
/// does not reach back to it) means a rebuild from the store with the same answers, never an error
/// or a stale index.
/// </summary>
public sealed class IndexSnapshotTests : IDisposable
{
    private const string DebianSqlite = "/usr/bin/sqlite3";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-snapshot-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly MemoryDetectionCache _cache = new(TimeSpan.FromMinutes(10), 10_000);
    private readonly Random _rng = new(11);
    private readonly List<float[]> _probes = [];

    public IndexSnapshotTests() => Directory.CreateDirectory(_dir);

    private string DbPath => Path.Combine(_dir, "galleries.db");
    private string SnapshotPath => DbPath + ".index";

    private GalleryEngine NewEngine() =>
        new(new SqliteGalleryStore(DbPath), _cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance);

    private async Task<string> Detection(float[] vector, FaceAttributes? features = null)
    {
        var id = Guid.NewGuid().ToString("N");
        await _cache.PutAsync(new DetectFace { Id = id, BBox = new BBox(0, 0, 1, 1), Facen = vector, Features = features ?? FaceAttributes.Empty });
        return id;
    }

    /// <summary>
    /// A gallery with plain faces (imported), faces with meta, subject and features, a few deleted
    /// (so the slots have moved) and one meta update, plus an empty gallery; the engine is disposed,
    /// which writes the snapshot.
    /// </summary>
    private async Task BuildAsync()
    {
        await using var engine = NewEngine();
        await engine.CreateGalleryAsync("people");
        await engine.CreateGalleryAsync("empty");
        var centers = Enumerable.Range(0, 30).Select(_ => TestVectors.Random(_rng)).ToList();
        var plain = new List<(long, float[])>();
        for (int i = 0; i < 600; i++) plain.Add((i + 1, TestVectors.Near(centers[i % centers.Count], 0.6 + _rng.NextDouble(), _rng)));
        await engine.ImportAsync("people", plain);
        for (int i = 0; i < 40; i++)
        {
            var det = await Detection(TestVectors.Near(centers[i % centers.Count], 0.5, _rng), new FaceAttributes { Age = 20 + i });
            await engine.AddFaceAsync("people", 1000 + i, FaceSource.FromDetection(det),
                new Dictionary<string, MetaValue> { ["team"] = i % 2 == 0 ? "a" : "b", ["n"] = i, ["tags"] = new[] { "x", "y" + i } }, subject: $"p{i % 5}");
        }
        for (int i = 1; i <= 10; i++) await engine.DeleteFaceAsync("people", i * 7);
        await engine.UpdateFaceAsync("people", 1003, new Dictionary<string, MetaValue?> { ["team"] = "c" });
        for (int i = 0; i < 12; i++) _probes.Add(TestVectors.Near(centers[i * 2], 0.7, _rng));
        Assert.Equal("store", (await Loaded(engine)).Source);
        await engine.PendingIndexSnapshot;
    }

    private static async Task<IndexLoadInfo> Loaded(GalleryEngine engine)
    {
        await engine.StartAsync();
        return engine.LastIndexLoad!;
    }

    /// <summary>Everything a client can see of the galleries: searches (two-stage and exact), filters, listings, one line each.</summary>
    private async Task<string> AnswersAsync(GalleryEngine engine)
    {
        await engine.StartAsync();
        var index = await engine.GetIndexAsync("people");
        var text = new StringBuilder();
        foreach (bool twoStage in new[] { false, true })
        {
            // The two-stage scan (sign codes first) on this small gallery too, so the sign codes are checked.
            index.ApproximateFrom = twoStage ? 100 : GalleryIndex.DefaultApproximateFrom;
            index.Candidates = twoStage ? 40 : GalleryIndex.DefaultCandidates;
            foreach (var probe in _probes)
            {
                var det = await Detection(probe);
                Append(text, await engine.ListAsync("people", [Filters.Detection(det, 0)], 10));
                Append(text, await engine.ListAsync("people", [Filters.Detection(det, 0), Filters.Meta("team").OneOf("a", "c")], 5));
                Append(text, await engine.ListAsync("people", [Filters.Detection(det, 0), Filters.Subject.OneOf("p1", "p2")], 5));
            }
        }
        index.ApproximateFrom = GalleryIndex.DefaultApproximateFrom;
        index.Candidates = GalleryIndex.DefaultCandidates;
        Append(text, await engine.ListAsync("people", [], 10_000));
        Append(text, await engine.ListAsync("empty", [], 10));
        foreach (var g in await engine.ListGalleriesAsync()) text.Append(g.Name).Append('=').Append(g.Number).Append('\n');
        foreach (var s in await engine.ListSubjectsAsync("people")) text.Append(s.Name).Append(':').Append(s.Faces).Append('\n');
        return text.ToString();
    }

    private static void Append(StringBuilder text, ListResponse response)
    {
        foreach (var f in response.Results)
            text.Append(f.Id.Face).Append(' ').Append(f.Confidence?.ToString("R")).Append(' ').Append(f.Subject).Append(' ')
                .Append(FaceJson.Meta(f.Meta)).Append(' ').Append(FaceJson.Features(f.Features)).Append('\n');
        text.Append("--\n");
    }

    /// <summary>Each face's int8 codes and scale by id (slot order may differ between a snapshot and a rebuild).</summary>
    private static async Task<Dictionary<long, string>> CodesAsync(GalleryEngine engine)
    {
        var index = await engine.GetIndexAsync("people");
        var codes = new Dictionary<long, string>();
        index.ReadCodes((c, scales, ids) =>
        {
            for (int i = 0; i < ids.Length; i++)
                codes[ids[i]] = scales[i].ToString("R") + Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Slice(i * 512, 512)));
        });
        return codes;
    }

    /// <summary>The answers of a rebuild from the store alone, the snapshot moved aside meanwhile.</summary>
    private async Task<string> RebuiltAnswersAsync()
    {
        var aside = SnapshotPath + ".aside";
        File.Move(SnapshotPath, aside);
        try
        {
            await using var engine = NewEngine();
            engine.WritesIndexSnapshots = false;
            Assert.Equal("store", (await Loaded(engine)).Source);
            return await AnswersAsync(engine);
        }
        finally { File.Move(aside, SnapshotPath, overwrite: true); }
    }

    [Fact]
    public async Task A_reopened_gallery_loads_from_the_snapshot_and_answers_as_a_rebuild_does()
    {
        await BuildAsync();
        Assert.True(File.Exists(SnapshotPath));
        Assert.False(File.Exists(IndexSnapshotFile.TempPath(SnapshotPath)));

        string fromSnapshot;
        Dictionary<long, string> snapshotCodes;
        await using (var engine = NewEngine())
        {
            var load = await Loaded(engine);
            Assert.Equal(("snapshot", "current", 630L), (load.Source, load.Reason, load.Faces));
            fromSnapshot = await AnswersAsync(engine);
            snapshotCodes = await CodesAsync(engine);
            var face = await engine.GetFaceAsync("people", 1003);
            Assert.Equal("c", face.Meta["team"].AsString);
            Assert.Equal(23, face.Features.Age);
            Assert.Equal("p3", face.Subject);
        }

        File.Move(SnapshotPath, SnapshotPath + ".aside");
        await using (var engine = NewEngine())
        {
            engine.WritesIndexSnapshots = false;
            var load = await Loaded(engine);
            Assert.Equal(("store", "no snapshot"), (load.Source, load.Reason));
            Assert.Equal(fromSnapshot, await AnswersAsync(engine));
            Assert.Equal(snapshotCodes, await CodesAsync(engine));
        }
        Assert.Contains("1003 ", fromSnapshot);
        Assert.DoesNotContain("\n7 ", fromSnapshot); // deleted before the snapshot
    }

    [Fact]
    public async Task Unchanged_restarts_keep_loading_the_snapshot_and_writes_by_the_engine_refresh_it()
    {
        await BuildAsync();
        var written = File.GetLastWriteTimeUtc(SnapshotPath);
        await using (var engine = NewEngine()) Assert.Equal("snapshot", (await Loaded(engine)).Source);
        Assert.Equal(written, File.GetLastWriteTimeUtc(SnapshotPath)); // nothing changed: not rewritten

        await using (var engine = NewEngine())
        {
            Assert.Equal("snapshot", (await Loaded(engine)).Source);
            await engine.DeleteFaceAsync("people", 2);
            await engine.SetFaceSubjectAsync("people", 3, "p9");
        }
        await using (var engine = NewEngine())
        {
            Assert.Equal("snapshot", (await Loaded(engine)).Source);
            await Assert.ThrowsAsync<GalleryException>(() => engine.GetFaceAsync("people", 2));
            Assert.Equal("p9", (await engine.GetFaceAsync("people", 3)).Subject);
            var fromSnapshot = await AnswersAsync(engine);
            Assert.Equal(await RebuiltAnswersAsync(), fromSnapshot);
        }
    }

    public static TheoryData<string> OutsideChanges => new() { "insert", "delete", "meta", "subject", "vector" };

    [Theory]
    [MemberData(nameof(OutsideChanges))]
    public async Task A_change_made_by_another_store_after_the_snapshot_is_replayed_from_the_change_log(string change)
    {
        await BuildAsync();
        var vector = TestVectors.Near(_probes[0], 0.05, _rng);
        // Another process's store object on the same file: its writes are invisible to any engine's memory.
        await using (var other = new SqliteGalleryStore(DbPath))
        {
            await other.InitializeAsync(default);
            switch (change)
            {
                case "insert": Assert.True(await other.InsertFaceAsync(new StoredFace("people", 5000, "{}", "{}", FaceJson.VectorBytes(vector)), default)); break;
                case "delete": Assert.True(await other.DeleteFaceAsync("people", 1001, default)); break;
                case "meta": Assert.True(await other.UpdateMetaAsync("people", 1001, """{"team":"z"}""", default)); break;
                case "subject": Assert.True(await other.SetFaceSubjectAsync("people", 1001, "q", default)); break;
                case "vector":
                    await using (var c = new SqliteConnection($"Data Source={DbPath}"))
                        Assert.Equal(1, await c.ExecuteAsync("UPDATE faces SET vector = @v WHERE gallery = 'people' AND id = 1001;", new { v = FaceJson.VectorBytes(vector) }));
                    break;
            }
        }
        SqliteConnection.ClearAllPools();

        var rebuilt = await RebuiltAnswersAsync();
        await using var engine = NewEngine();
        var load = await Loaded(engine);
        Assert.Equal("snapshot", load.Source);
        Assert.StartsWith("caught up: 1 changes (1 faces)", load.Reason);
        Assert.Equal(rebuilt, await AnswersAsync(engine));
        var probe = await Detection(_probes[0]);
        var top = (await engine.ListAsync("people", [Filters.Detection(probe, 0)], 1)).Results[0];
        var face1001 = change == "delete" ? null : await engine.GetFaceAsync("people", 1001);
        switch (change)
        {
            case "insert": Assert.Equal(5000, top.Id.Face); break;
            case "delete": await Assert.ThrowsAsync<GalleryException>(() => engine.GetFaceAsync("people", 1001)); break;
            case "meta": Assert.Equal("z", face1001!.Meta["team"].AsString); break;
            case "subject": Assert.Equal("q", face1001!.Subject); break;
            case "vector": Assert.Equal(1001, top.Id.Face); break;
        }
        // The catch-up wrote a fresh snapshot, which the next start uses as it is, and trimmed the log.
        await engine.PendingIndexSnapshot;
        var answers = await AnswersAsync(engine);
        Assert.Equal(0, await LogRowsAsync());
        await using var next = NewEngine();
        Assert.Equal(("snapshot", "current"), ((await Loaded(next)).Source, (await Loaded(next)).Reason));
        Assert.Equal(answers, await AnswersAsync(next));
    }

    private async Task<long> LogRowsAsync()
    {
        await using var c = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM index_log;");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using (var c = new SqliteConnection($"Data Source={DbPath};Pooling=False")) await c.ExecuteAsync(sql);
    }

    [Theory]
    [InlineData("trimmed", "DELETE FROM index_log;")]
    [InlineData("another history", "UPDATE index_log SET previous_token = previous_token + 1 WHERE changes = (SELECT MIN(changes) FROM index_log);")]
    [InlineData("a gap", "DELETE FROM index_log WHERE changes = (SELECT MAX(changes) FROM index_log) - 1;")]
    public async Task A_change_log_that_does_not_bridge_the_gap_means_a_rebuild(string what, string sql)
    {
        await BuildAsync();
        await using (var other = new SqliteGalleryStore(DbPath))
        {
            await other.InitializeAsync(default);
            Assert.True(await other.DeleteFaceAsync("people", 1001, default));
            Assert.True(await other.DeleteFaceAsync("people", 1002, default));
            Assert.True(await other.UpdateMetaAsync("people", 1003, """{"team":"z"}""", default));
        }
        SqliteConnection.ClearAllPools();
        await ExecuteAsync(sql);

        await using var engine = NewEngine();
        var load = await Loaded(engine);
        Assert.True(load.Source == "store" && load.Reason.StartsWith("stale", StringComparison.Ordinal) && load.Reason.Contains("change log"),
            $"{what}: {load}");
        await Assert.ThrowsAsync<GalleryException>(() => engine.GetFaceAsync("people", 1001));
        Assert.Equal("z", (await engine.GetFaceAsync("people", 1003)).Meta["team"].AsString);
    }

    [Fact]
    public async Task A_crash_after_a_periodic_snapshot_replays_only_the_changes_since()
    {
        await BuildAsync();
        var engine = NewEngine();
        engine.IndexSnapshotInterval = TimeSpan.FromMilliseconds(200);
        Assert.Equal("snapshot", (await Loaded(engine)).Source);
        var store = (IIndexSnapshotStore)engine.Store;
        for (int i = 1; i <= 5; i++) await engine.DeleteFaceAsync("people", i);
        var afterDeletes = store.KnownVersion!.Value;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (IndexSnapshotFile.ReadHeader(SnapshotPath)?.Version != afterDeletes && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(afterDeletes, IndexSnapshotFile.ReadHeader(SnapshotPath)?.Version);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await LogRowsAsync() > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, await LogRowsAsync());

        // Two more changes, then the process dies: no snapshot at shutdown.
        await engine.SetFaceSubjectAsync("people", 6, "p7");
        await engine.DeleteFaceAsync("people", 8);
        engine.WritesIndexSnapshots = false;
        await engine.DisposeAsync();
        SqliteConnection.ClearAllPools();

        var rebuilt = await RebuiltAnswersAsync();
        await using var next = NewEngine();
        var load = await Loaded(next);
        Assert.Equal("snapshot", load.Source);
        Assert.StartsWith("caught up: 2 changes (2 faces)", load.Reason);
        Assert.Equal(rebuilt, await AnswersAsync(next));
        Assert.Equal("p7", (await next.GetFaceAsync("people", 6)).Subject);
    }

    [Fact]
    public async Task A_delete_by_the_sqlite3_shell_in_another_process_is_replayed_too()
    {
        if (!File.Exists(DebianSqlite)) throw new InvalidOperationException("sqlite3 is not installed (apt-get install sqlite3, or ./router setup)");
        await BuildAsync();
        SqliteConnection.ClearAllPools();
        ExternalProcess.Run(DebianSqlite, [DbPath, "DELETE FROM faces WHERE gallery = 'people' AND id = 1000;"]);
        await using var engine = NewEngine();
        var load = await Loaded(engine);
        Assert.Equal("snapshot", load.Source);
        Assert.StartsWith("caught up: 1 changes", load.Reason);
        Assert.Equal(629, load.Faces);
        await Assert.ThrowsAsync<GalleryException>(() => engine.GetFaceAsync("people", 1000));
    }

    [Fact]
    public async Task An_engine_that_saw_another_process_write_does_not_save_its_index_as_current()
    {
        await BuildAsync();
        var vector = TestVectors.Near(_probes[1], 0.05, _rng);
        await using (var engine = NewEngine())
        {
            Assert.Equal("snapshot", (await Loaded(engine)).Source);
            // Another process adds a face this engine never hears of, then the engine writes itself.
            await using (var other = new SqliteGalleryStore(DbPath))
            {
                await other.InitializeAsync(default);
                Assert.True(await other.InsertFaceAsync(new StoredFace("people", 6000, "{}", "{}", FaceJson.VectorBytes(vector)), default));
            }
            await engine.DeleteFaceAsync("people", 1);
            Assert.Null(((IIndexSnapshotStore)engine.Store).KnownVersion);
            Assert.False(await engine.SaveIndexSnapshotAsync());
        }
        await using (var engine = NewEngine())
        {
            // The older snapshot is brought up to date from the store's log, the other process's write included.
            var load = await Loaded(engine);
            Assert.Equal("snapshot", load.Source);
            Assert.StartsWith("caught up: 2 changes", load.Reason);
            Assert.True(await engine.GetFaceAsync("people", 6000) is not null);
            await Assert.ThrowsAsync<GalleryException>(() => engine.GetFaceAsync("people", 1));
        }
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "flip-magic", "magic" },
        { "flip-header-faces", "" },
        { "flip-checksum", "checksum" },
        { "flip-first-code", "" },
        { "flip-middle", "" },
        { "flip-last", "" },
        { "truncate-half", "" },
        { "truncate-header", "truncated" },
        { "empty", "truncated" },
        { "append", "after the last gallery" },
        { "version-2", "format version 2" },
        { "dimension-256", "dimension 256" },
        { "counter", "stale" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_or_foreign_snapshot_means_a_rebuild_without_an_error(string damage, string reason)
    {
        await BuildAsync();
        var rebuilt = await RebuiltAnswersAsync();
        var bytes = File.ReadAllBytes(SnapshotPath);
        int headerLength = IndexSnapshotFile.HeaderBytes;
        byte[] damaged = damage switch
        {
            "flip-magic" => Flip(bytes, 0),
            "flip-header-faces" => Flip(bytes, 24),
            "flip-checksum" => Flip(bytes, 50),
            "flip-first-code" => Flip(bytes, headerLength + 40),
            "flip-middle" => Flip(bytes, bytes.Length / 2),
            "flip-last" => Flip(bytes, bytes.Length - 1),
            "truncate-half" => bytes[..(bytes.Length / 2)],
            "truncate-header" => bytes[..40],
            "empty" => [],
            "append" => [.. bytes, 0],
            "version-2" => Patch(bytes, 8, 2),
            "dimension-256" => Patch(bytes, 12, 256),
            "counter" => Patch(bytes, 32, BitConverter.ToInt32(bytes, 32) + 1),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(SnapshotPath, damaged);

        await using (var engine = NewEngine())
        {
            var load = await Loaded(engine);
            Assert.Equal("store", load.Source);
            Assert.NotEqual("current", load.Reason);
            Assert.Contains(reason, load.Reason);
            Assert.Equal(rebuilt, await AnswersAsync(engine));
            await engine.PendingIndexSnapshot;
        }
        // The rebuild replaced the bad file with a good one.
        await using (var engine = NewEngine())
        {
            Assert.Equal("snapshot", (await Loaded(engine)).Source);
            Assert.Equal(rebuilt, await AnswersAsync(engine));
        }
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x10;
        return copy;
    }

    private static byte[] Patch(byte[] bytes, int at, int value)
    {
        var copy = (byte[])bytes.Clone();
        BitConverter.GetBytes(value).CopyTo(copy, at);
        return copy;
    }

    [Fact]
    public async Task A_crash_between_the_temporary_file_and_the_rename_leaves_the_old_snapshot_usable()
    {
        await BuildAsync();
        var before = File.ReadAllBytes(SnapshotPath);
        await using (var engine = NewEngine())
        {
            Assert.Equal("snapshot", (await Loaded(engine)).Source);
            IndexSnapshotFile.BeforeRename = _ => throw new InvalidOperationException("crash before the rename");
            try { await Assert.ThrowsAsync<InvalidOperationException>(() => engine.SaveIndexSnapshotAsync()); }
            finally { IndexSnapshotFile.BeforeRename = null; }
            Assert.True(File.Exists(IndexSnapshotFile.TempPath(SnapshotPath)));
            engine.WritesIndexSnapshots = false; // the process died: no snapshot at shutdown
        }
        Assert.Equal(before, File.ReadAllBytes(SnapshotPath));
        await using (var engine = NewEngine())
        {
            var load = await Loaded(engine);
            Assert.Equal(("snapshot", "current"), (load.Source, load.Reason));
            Assert.Equal(await RebuiltAnswersAsync(), await AnswersAsync(engine));
        }
    }

    [Fact]
    public async Task A_crash_before_the_rename_after_a_change_replays_the_change_onto_the_old_snapshot()
    {
        await BuildAsync();
        await using (var engine = NewEngine())
        {
            Assert.Equal("snapshot", (await Loaded(engine)).Source);
            await engine.DeleteFaceAsync("people", 1002);
            IndexSnapshotFile.BeforeRename = _ => throw new InvalidOperationException("crash before the rename");
            try { await Assert.ThrowsAsync<InvalidOperationException>(() => engine.SaveIndexSnapshotAsync()); }
            finally { IndexSnapshotFile.BeforeRename = null; }
            engine.WritesIndexSnapshots = false;
        }
        await using (var engine = NewEngine())
        {
            var load = await Loaded(engine);
            Assert.Equal("snapshot", load.Source);
            Assert.StartsWith("caught up: 1 changes", load.Reason);
            await Assert.ThrowsAsync<GalleryException>(() => engine.GetFaceAsync("people", 1002));
            await engine.PendingIndexSnapshot;
            Assert.False(File.Exists(IndexSnapshotFile.TempPath(SnapshotPath)));
        }
    }

    [Fact]
    public async Task A_snapshot_that_fails_at_shutdown_neither_throws_nor_leaves_a_current_looking_file()
    {
        await BuildAsync();
        var engine = NewEngine();
        Assert.Equal("snapshot", (await Loaded(engine)).Source);
        await engine.DeleteFaceAsync("people", 1004);
        IndexSnapshotFile.BeforeRename = _ => throw new InvalidOperationException("failure before the rename");
        try { await engine.DisposeAsync(); }
        finally { IndexSnapshotFile.BeforeRename = null; }
        SqliteConnection.ClearAllPools();
        await using var next = NewEngine();
        var load = await Loaded(next);
        Assert.Equal("snapshot", load.Source);
        Assert.StartsWith("caught up: 1 changes", load.Reason);
        await Assert.ThrowsAsync<GalleryException>(() => next.GetFaceAsync("people", 1004));
    }

    [Fact]
    public async Task Migration_from_schema_3_keeps_every_face_and_starts_counting_changes()
    {
        // Schema version 3 exactly as the store created it before the change counter.
        await using (var c = new SqliteConnection($"Data Source={DbPath}"))
        {
            await c.OpenAsync();
            await c.ExecuteAsync("""
                PRAGMA journal_mode=WAL;
                CREATE TABLE schema_version (version INTEGER NOT NULL);
                CREATE TABLE galleries (name TEXT PRIMARY KEY NOT NULL);
                CREATE TABLE faces (gallery TEXT NOT NULL, id INTEGER NOT NULL, meta TEXT NOT NULL, features TEXT NOT NULL, vector BLOB NOT NULL, subject TEXT);
                CREATE UNIQUE INDEX faces_gallery_id ON faces (gallery, id);
                CREATE INDEX faces_gallery_subject ON faces (gallery, subject) WHERE subject IS NOT NULL;
                CREATE TABLE subjects (gallery TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (gallery, name));
                CREATE TABLE negatives (gallery TEXT NOT NULL, id INTEGER NOT NULL, subject TEXT NOT NULL, vector BLOB NOT NULL, source TEXT NOT NULL,
                    created_ms INTEGER NOT NULL, PRIMARY KEY (gallery, id));
                CREATE TABLE thumbnails (gallery TEXT NOT NULL, id INTEGER NOT NULL, jpeg BLOB NOT NULL, PRIMARY KEY (gallery, id));
                INSERT INTO schema_version (version) VALUES (1), (2), (3);
                INSERT INTO galleries (name) VALUES ('staff');
                INSERT INTO subjects (gallery, name) VALUES ('staff', 'ann');
                """);
            for (int i = 1; i <= 5; i++)
                await c.ExecuteAsync("INSERT INTO faces VALUES ('staff', @i, @meta, '{}', @v, @s);",
                    new { i, meta = $$"""{"n":{{i}}}""", v = FaceJson.VectorBytes(TestVectors.Random(_rng)), s = i == 1 ? "ann" : null });
            await c.ExecuteAsync("INSERT INTO thumbnails VALUES ('staff', 1, X'FFD8FFD9');");
        }
        SqliteConnection.ClearAllPools();

        await using (var engine = NewEngine())
        {
            var load = await Loaded(engine);
            Assert.Equal(("store", "no snapshot", 5L), (load.Source, load.Reason, load.Faces));
            Assert.Equal("ann", (await engine.GetFaceAsync("staff", 1)).Subject);
            Assert.Equal(3L, (await engine.GetFaceAsync("staff", 3)).Meta["n"].AsInt);
            Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, await engine.GetThumbnailAsync("staff", 1));
            var store = (IIndexSnapshotStore)engine.Store;
            Assert.Equal(0, (await store.ReadIndexVersionAsync(default)).Changes);
            await engine.UpdateFaceAsync("staff", 2, new Dictionary<string, MetaValue?> { ["k"] = "v" });
            await engine.DeleteFaceAsync("staff", 3);
            Assert.Equal(2, store.KnownVersion!.Value.Changes);
            await engine.PendingIndexSnapshot;
        }
        await using (var c = new SqliteConnection($"Data Source={DbPath}"))
        {
            Assert.Equal(5, await c.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_version;"));
            Assert.Equal(4, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM faces;"));
        }
        SqliteConnection.ClearAllPools();
        await using (var engine = NewEngine())
        {
            Assert.Equal("snapshot", (await Loaded(engine)).Source);
            Assert.Equal("v", (await engine.GetFaceAsync("staff", 2)).Meta["k"].AsString);
            Assert.Equal(4, (await engine.ListGalleriesAsync()).Single().Number);
        }
    }

    [Fact]
    public async Task The_store_counts_each_face_row_it_inserts_updates_or_deletes()
    {
        await using var store = new SqliteGalleryStore(DbPath);
        await store.InitializeAsync(default);
        var start = await store.ReadIndexVersionAsync(default);
        await store.CreateGalleryAsync("g", default); // not a face: not counted
        Assert.Equal(start, store.KnownVersion);
        await store.InsertFacesAsync([new StoredFace("g", 1, "{}", "{}", new byte[2048]), new StoredFace("g", 2, "{}", "{}", new byte[2048])], default);
        await store.UpdateMetaAsync("g", 1, """{"a":1}""", default);
        await store.DeleteFaceAsync("g", 2, default);
        var known = store.KnownVersion!.Value;
        Assert.Equal(start.Changes + 4, known.Changes);
        Assert.NotEqual(start.Token, known.Token);
        Assert.Equal(known, await store.ReadIndexVersionAsync(default));

        // The change log names each face touched, once, as it is now; it bridges only from a version of this history.
        Assert.Equal(4, await store.CountIndexChangesAsync(start, known, default));
        Assert.Null(await store.CountIndexChangesAsync(start with { Token = start.Token + 1 }, known, default));
        Assert.Null(await store.CountIndexChangesAsync(known, known, default));
        var changes = new List<IndexChange>();
        await foreach (var c in store.ReadIndexChangesAsync(start, known, default)) changes.Add(c);
        Assert.Equal([("g", 1L, true), ("g", 2L, false)], changes.OrderBy(c => c.Id).Select(c => (c.Gallery, c.Id, c.Face is not null)));
        Assert.Equal("""{"a":1}""", changes.Single(c => c.Id == 1).Face!.MetaJson);
        await store.TrimIndexChangesAsync(known, default);
        Assert.Null(await store.CountIndexChangesAsync(start, known, default));
    }

    public void Dispose()
    {
        IndexSnapshotFile.BeforeRename = null;
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
