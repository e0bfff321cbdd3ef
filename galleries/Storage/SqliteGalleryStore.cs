using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Router.Galleries.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so every
/// committed write is fsynced before it is acknowledged. Writes go through one connection
/// (SQLite has one writer anyway); reads use pooled connections and run beside writes.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore
{
    private const int SchemaVersion = 1;
    private readonly string _connectionString;
    // The writer is not pooled: after a failed write it is closed for good (see WriteAsync), not handed back.
    private readonly string _writerConnectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;
    private bool _initialised;
    private long? _writerMaxPageCount;

    public SqliteGalleryStore(string filePath)
    {
        FilePath = Path.GetFullPath(filePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
        _writerConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
    }

    public string FilePath { get; }

    /// <summary>
    /// A cap on the file's size in pages (SQLite's <c>max_page_count</c>; null = SQLite's own, about
    /// 17 TB at 4 KB pages), applied to the write connection before the next write. Reaching it
    /// fails writes exactly as a full disk does, which is how the tests fill the disk.
    /// </summary>
    public long? MaxPageCount { get; set; }

    public Task InitializeAsync(CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _writer = await OpenAsync(_writerConnectionString, ct).ConfigureAwait(false);
        await _writer.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        await _writer.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);").ConfigureAwait(false);
        var version = await _writer.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_version;").ConfigureAwait(false) ?? 0;
        if (version > SchemaVersion)
            throw new InvalidOperationException($"the SQLite store {FilePath} has schema version {version}, newer than this Router ({SchemaVersion})");
        if (version < 1)
        {
            using var tx = _writer.BeginTransaction();
            await _writer.ExecuteAsync("""
                CREATE TABLE galleries (name TEXT PRIMARY KEY NOT NULL);
                CREATE TABLE faces (
                    gallery  TEXT    NOT NULL,
                    id       INTEGER NOT NULL,
                    meta     TEXT    NOT NULL,
                    features TEXT    NOT NULL,
                    vector   BLOB    NOT NULL);
                CREATE UNIQUE INDEX faces_gallery_id ON faces (gallery, id);
                INSERT INTO schema_version (version) VALUES (1);
                """, transaction: tx).ConfigureAwait(false);
            tx.Commit();
        }
        _initialised = true;
        return true;
    });

    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => OpenAsync(_connectionString, ct);

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var c = new SqliteConnection(connectionString);
        await c.OpenAsync(ct).ConfigureAwait(false);
        // FULL: the WAL is fsynced at every commit, so an acknowledged write survives power loss.
        await c.ExecuteAsync("PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;").ConfigureAwait(false);
        return c;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> action, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await StoreErrors.Guard(async () =>
            {
                if (!_initialised) throw new InvalidOperationException("the store is not initialised");
                var c = _writer ??= await OpenAsync(_writerConnectionString, ct).ConfigureAwait(false);
                SqliteTransaction? tx = null;
                try
                {
                    if (_writerMaxPageCount != MaxPageCount)
                    {
                        // 4294967294: SQLite's largest, what "no cap" means.
                        await c.ExecuteAsync($"PRAGMA max_page_count = {MaxPageCount ?? 4294967294L};").ConfigureAwait(false);
                        _writerMaxPageCount = MaxPageCount;
                    }
                    tx = c.BeginTransaction();
                    var result = await action(c, tx).ConfigureAwait(false);
                    tx.Commit();
                    tx.Dispose();
                    return result;
                }
                catch
                {
                    await DiscardWriterAsync(tx).ConfigureAwait(false);
                    throw;
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// After a failed write the write connection is closed and the next write opens a new one. On
    /// SQLITE_FULL or an I/O error SQLite may already have rolled the transaction back; rolling it
    /// back again throws "no transaction is active" and leaves the transaction attached to the
    /// connection, so that every later write failed as a nested transaction until a restart.
    /// Closing the connection rolls back whatever is left, in SQLite itself; the caller gets the
    /// original error.
    /// </summary>
    private async Task DiscardWriterAsync(SqliteTransaction? tx)
    {
        try { tx?.Dispose(); }
        catch (SqliteException) { } // already rolled back by SQLite
        var writer = _writer;
        _writer = null;
        _writerMaxPageCount = null;
        if (writer is null) return;
        try { await writer.DisposeAsync().ConfigureAwait(false); }
        catch (SqliteException) { } // the handle is being dropped either way
    }

    public Task<IReadOnlyList<string>> ListGalleriesAsync(CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return (IReadOnlyList<string>)(await c.QueryAsync<string>("SELECT name FROM galleries ORDER BY name;").ConfigureAwait(false)).AsList();
    });

    public Task<bool> CreateGalleryAsync(string name, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("INSERT INTO galleries (name) VALUES (@name) ON CONFLICT DO NOTHING;", new { name }, tx).ConfigureAwait(false) == 1, ct);

    public Task<bool> DropGalleryAsync(string name, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("DELETE FROM faces WHERE gallery = @name;", new { name }, tx).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM galleries WHERE name = @name;", new { name }, tx).ConfigureAwait(false) == 1;
    }, ct);

    public Task<bool> InsertFaceAsync(StoredFace face, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync(InsertSql, Row(face), tx).ConfigureAwait(false) == 1, ct);

    public Task InsertFacesAsync(IReadOnlyList<StoredFace> faces, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO faces (gallery, id, meta, features, vector) VALUES ($g, $i, $m, $f, $v);";
        var g = cmd.Parameters.Add("$g", SqliteType.Text);
        var i = cmd.Parameters.Add("$i", SqliteType.Integer);
        var m = cmd.Parameters.Add("$m", SqliteType.Text);
        var f = cmd.Parameters.Add("$f", SqliteType.Text);
        var v = cmd.Parameters.Add("$v", SqliteType.Blob);
        cmd.Prepare();
        foreach (var face in faces)
        {
            g.Value = face.Gallery; i.Value = face.Id; m.Value = face.MetaJson; f.Value = face.FeaturesJson; v.Value = face.Vector;
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        return true;
    }, ct);

    public Task<bool> UpdateMetaAsync(string gallery, long id, string metaJson, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE faces SET meta = @metaJson WHERE gallery = @gallery AND id = @id;",
            new { gallery, id, metaJson }, tx).ConfigureAwait(false) == 1, ct);

    public Task<bool> DeleteFaceAsync(string gallery, long id, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("DELETE FROM faces WHERE gallery = @gallery AND id = @id;", new { gallery, id }, tx).ConfigureAwait(false) == 1, ct);

    public Task<Dictionary<long, byte[]>> ReadVectorsAsync(string gallery, IReadOnlyList<long> ids, CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        var result = new Dictionary<long, byte[]>(ids.Count);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        // SQLite allows 32766 variables per statement; chunks stay well under it.
        for (int start = 0; start < ids.Count; start += 2000)
        {
            var chunk = ids.Skip(start).Take(2000).ToArray();
            foreach (var row in await c.QueryAsync<(long id, byte[] vector)>(
                         "SELECT id, vector FROM faces WHERE gallery = @gallery AND id IN @chunk;", new { gallery, chunk }).ConfigureAwait(false))
                result[row.id] = row.vector;
        }
        return result;
    });

    public async IAsyncEnumerable<StoredFace> ReadAllAsync(string gallery, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await StoreErrors.Guard(() => OpenAsync(ct)).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, meta, features, vector FROM faces WHERE gallery = $g;";
        cmd.Parameters.AddWithValue("$g", gallery);
        await using var reader = await StoreErrors.Guard(() => cmd.ExecuteReaderAsync(ct)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            yield return new StoredFace(gallery, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3));
    }

    private const string InsertSql =
        "INSERT INTO faces (gallery, id, meta, features, vector) VALUES (@Gallery, @Id, @MetaJson, @FeaturesJson, @Vector) ON CONFLICT DO NOTHING;";

    private static object Row(StoredFace f) => new { f.Gallery, f.Id, f.MetaJson, f.FeaturesJson, f.Vector };

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        SqliteConnection.ClearAllPools();
    }
}
