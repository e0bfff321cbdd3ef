using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Router.Abstractions;
using Router.Galleries;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Storage;
using Router.Tests.Common;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// A database written by the first Router (schema 1: faces without subjects) opens in this one:
/// its faces, meta and vectors are all there, with no subject, and subjects can be added.
/// </summary>
public abstract class StoreMigrationTests
{
    protected static readonly float[] Vector = TestVectors.Random(new Random(5));

    /// <summary>Creates a schema-1 database holding gallery "old" with face 7 (meta name=Ann) and returns the store over it.</summary>
    protected abstract Task<IGalleryStore> CreateVersion1Async();

    [Fact]
    public async Task A_version_1_database_keeps_every_face_and_gains_subjects()
    {
        var store = await CreateVersion1Async();
        var cache = new MemoryDetectionCache(TimeSpan.FromMinutes(1), 100);
        await using (var engine = new GalleryEngine(store, cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance))
        {
            var face = await engine.GetFaceAsync("old", 7);
            Assert.Equal(MetaValue.Of("Ann"), face.Meta["name"]);
            Assert.Null(face.Subject);
            Assert.Empty(await engine.ListSubjectsAsync("old"));
            var found = await engine.ListAsync("old", [new Router.Galleries.Query.VectorFilter(Vector, 0.99)]);
            Assert.Equal(7, Assert.Single(found.Results).Id.Face);
            await engine.SetFaceSubjectAsync("old", 7, "Ann");
        }
        await using (var engine = new GalleryEngine(await ReopenAsync(), cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance))
        {
            Assert.Equal("Ann", (await engine.GetFaceAsync("old", 7)).Subject);
            Assert.Equal([new SubjectInfo("Ann", 1, 0)], await engine.ListSubjectsAsync("old"));
        }
    }

    protected abstract Task<IGalleryStore> ReopenAsync();

    protected static byte[] VectorBytes => FaceJson.VectorBytes(Vector);
}

public sealed class SqliteStoreMigrationTests : StoreMigrationTests, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "router-migration-" + Guid.NewGuid().ToString("N")[..8] + ".db");

    protected override async Task<IGalleryStore> CreateVersion1Async()
    {
        // The store's constructor loads SQLite's native library; the database itself is written by hand below.
        await using (new SqliteGalleryStore(_file)) { }
        await using (var c = new SqliteConnection($"Data Source={_file};Pooling=False"))
        {
            await c.OpenAsync();
            // The schema of the first Router, verbatim.
            await c.ExecuteAsync("""
                CREATE TABLE schema_version (version INTEGER NOT NULL);
                CREATE TABLE galleries (name TEXT PRIMARY KEY NOT NULL);
                CREATE TABLE faces (
                    gallery  TEXT    NOT NULL,
                    id       INTEGER NOT NULL,
                    meta     TEXT    NOT NULL,
                    features TEXT    NOT NULL,
                    vector   BLOB    NOT NULL);
                CREATE UNIQUE INDEX faces_gallery_id ON faces (gallery, id);
                INSERT INTO schema_version (version) VALUES (1);
                INSERT INTO galleries (name) VALUES ('old');
                INSERT INTO faces (gallery, id, meta, features, vector) VALUES ('old', 7, '{"name":"Ann"}', '{}', @v);
                """, new { v = VectorBytes });
        }
        return new SqliteGalleryStore(_file);
    }

    protected override Task<IGalleryStore> ReopenAsync() => Task.FromResult<IGalleryStore>(new SqliteGalleryStore(_file));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm", _file + ".index", _file + ".index.tmp" }) File.Delete(f);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreMigrationTests(PostgresServer postgres) : StoreMigrationTests
{
    private string? _connectionString;

    protected override async Task<IGalleryStore> CreateVersion1Async()
    {
        _connectionString = postgres.CreateDatabase("migration");
        await using (var c = new NpgsqlConnection(_connectionString))
        {
            await c.OpenAsync();
            await c.ExecuteAsync("""
                CREATE TABLE schema_version (version integer NOT NULL);
                CREATE TABLE galleries (name text PRIMARY KEY);
                CREATE TABLE faces (
                    gallery  text   NOT NULL REFERENCES galleries (name) ON DELETE CASCADE,
                    id       bigint NOT NULL,
                    meta     text   NOT NULL,
                    features text   NOT NULL,
                    vector   bytea  NOT NULL,
                    PRIMARY KEY (gallery, id));
                INSERT INTO schema_version (version) VALUES (1);
                INSERT INTO galleries (name) VALUES ('old');
                INSERT INTO faces (gallery, id, meta, features, vector) VALUES ('old', 7, '{"name":"Ann"}', '{}', @v);
                """, new { v = VectorBytes });
        }
        return new PostgresGalleryStore(_connectionString);
    }

    protected override Task<IGalleryStore> ReopenAsync() => Task.FromResult<IGalleryStore>(new PostgresGalleryStore(_connectionString!));
}
