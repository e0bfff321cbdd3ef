using Microsoft.Data.Sqlite;
using Router.Galleries.Storage;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>
/// The store runs on the SQLite that Microsoft.Data.Sqlite bundles (SQLitePCLRaw's e_sqlite3,
/// 3.53), not on Debian's libsqlite3 (3.40), and files stay readable both ways: a database that
/// Debian's sqlite3 wrote (as Router's files written through Debian's library before) opens
/// unchanged, and Debian's sqlite3 reads what the store wrote, WAL and all.
/// </summary>
public sealed class SqliteBundledLibraryTests : IDisposable
{
    private const string DebianSqlite = "/usr/bin/sqlite3";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-sqlite-bundle", Guid.NewGuid().ToString("N")[..8]);

    public SqliteBundledLibraryTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task The_store_runs_on_the_bundled_sqlite_not_on_debians()
    {
        // The store sets nothing up: Microsoft.Data.Sqlite's own initialisation picks the bundle.
        await using (var store = new SqliteGalleryStore(Path.Combine(_dir, "v.db")))
            await store.InitializeAsync(default);
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT sqlite_version();";
        var version = Version.Parse((string)cmd.ExecuteScalar()!);
        // 3.53.x is the bundle; a resolver mapping e_sqlite3 onto Debian's library would show 3.40.
        Assert.True(version >= new Version(3, 53), $"SQLite {version} is not the bundled 3.53");
        Assert.Contains("libe_sqlite3.so", File.ReadAllText("/proc/self/maps"));
    }

    [Fact]
    public async Task A_database_written_by_debians_sqlite_opens_unchanged()
    {
        var path = Path.Combine(_dir, "old.db");
        // Schema version 1 exactly as the store creates it, written by Debian's sqlite3 3.40 in WAL mode.
        Sqlite3(path, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE schema_version (version INTEGER NOT NULL);
            CREATE TABLE galleries (name TEXT PRIMARY KEY NOT NULL);
            CREATE TABLE faces (gallery TEXT NOT NULL, id INTEGER NOT NULL, meta TEXT NOT NULL, features TEXT NOT NULL, vector BLOB NOT NULL);
            CREATE UNIQUE INDEX faces_gallery_id ON faces (gallery, id);
            INSERT INTO schema_version (version) VALUES (1);
            INSERT INTO galleries (name) VALUES ('staff');
            INSERT INTO faces VALUES ('staff', 7, '{"name":"ann"}', '{}', X'0000803F000000C0');
            """);

        await using var store = new SqliteGalleryStore(path);
        await store.InitializeAsync(default);
        Assert.Equal(["staff"], await store.ListGalleriesAsync(default));
        var faces = new List<StoredFace>();
        await foreach (var f in store.ReadAllAsync("staff", default)) faces.Add(f);
        var face = Assert.Single(faces);
        Assert.Equal(7, face.Id);
        Assert.Equal("""{"name":"ann"}""", face.MetaJson);
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0 }, face.Vector);
        Assert.True(await store.InsertFaceAsync(new StoredFace("staff", 8, "{}", "{}", new byte[8]), default));
    }

    [Fact]
    public async Task Debians_sqlite_reads_what_the_store_wrote()
    {
        var path = Path.Combine(_dir, "new.db");
        await using (var store = new SqliteGalleryStore(path))
        {
            await store.InitializeAsync(default);
            await store.CreateGalleryAsync("g", default);
            await store.InsertFacesAsync([new StoredFace("g", 1, "{}", "{}", new byte[2048]), new StoredFace("g", 2, "{}", "{}", new byte[2048])], default);
            // Read while the store is open, its WAL not checkpointed: what a backup script would see.
            Assert.Equal("wal\nok\n2", Sqlite3(path, "PRAGMA journal_mode; PRAGMA integrity_check; SELECT COUNT(*) FROM faces WHERE gallery = 'g';").Trim());
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal("2", Sqlite3(path, "SELECT COUNT(*) FROM faces;").Trim());
    }

    private static string Sqlite3(string path, string sql)
    {
        if (!File.Exists(DebianSqlite)) throw new InvalidOperationException("sqlite3 is not installed (apt-get install sqlite3, or ./router setup)");
        return ExternalProcess.Run(DebianSqlite, [path, sql]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }
}
