using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Router.Galleries.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so every
/// committed write is fsynced before it is acknowledged. Writes go through one connection
/// (SQLite has one writer anyway); reads use pooled connections and run beside writes.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore, IIndexSnapshotStore
{
    private const int SchemaVersion = 5;
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

    /// <summary>The index snapshot beside the database: <c>galleries.db.index</c>.</summary>
    public string SnapshotPath => FilePath + ".index";

    /// <inheritdoc/>
    public IndexVersion? KnownVersion => Volatile.Read(ref _knownBox)?.Value;
    private StrongBox<IndexVersion>? _knownBox;

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
        if (version < 1) await MigrateAsync(_writer, 1, """
                CREATE TABLE galleries (name TEXT PRIMARY KEY NOT NULL);
                CREATE TABLE faces (
                    gallery  TEXT    NOT NULL,
                    id       INTEGER NOT NULL,
                    meta     TEXT    NOT NULL,
                    features TEXT    NOT NULL,
                    vector   BLOB    NOT NULL);
                CREATE UNIQUE INDEX faces_gallery_id ON faces (gallery, id);
                """).ConfigureAwait(false);
        // Subjects and negative examples; existing faces keep everything and get no subject.
        if (version < 2) await MigrateAsync(_writer, 2, """
                ALTER TABLE faces ADD COLUMN subject TEXT;
                CREATE INDEX faces_gallery_subject ON faces (gallery, subject) WHERE subject IS NOT NULL;
                CREATE TABLE subjects (
                    gallery TEXT NOT NULL,
                    name    TEXT NOT NULL,
                    PRIMARY KEY (gallery, name));
                CREATE TABLE negatives (
                    gallery    TEXT    NOT NULL,
                    id         INTEGER NOT NULL,
                    subject    TEXT    NOT NULL,
                    vector     BLOB    NOT NULL,
                    source     TEXT    NOT NULL,
                    created_ms INTEGER NOT NULL,
                    PRIMARY KEY (gallery, id));
                """).ConfigureAwait(false);
        // Thumbnails apart from the faces: loading the index at start never reads them.
        if (version < 3) await MigrateAsync(_writer, 3, """
                CREATE TABLE thumbnails (
                    gallery TEXT    NOT NULL,
                    id      INTEGER NOT NULL,
                    jpeg    BLOB    NOT NULL,
                    PRIMARY KEY (gallery, id));
                """).ConfigureAwait(false);
        // The index's change counter: every insert, update and delete of a face row counts, in
        // the store itself, so that a snapshot of the index can tell whether it is still current
        // whoever wrote (another process, the sqlite3 shell). The token is redrawn at each change.
        if (version < 4) await MigrateAsync(_writer, 4, """
                CREATE TABLE index_state (
                    id      INTEGER PRIMARY KEY CHECK (id = 1),
                    changes INTEGER NOT NULL,
                    token   INTEGER NOT NULL);
                INSERT INTO index_state (id, changes, token) VALUES (1, 0, random());
                CREATE TRIGGER faces_index_insert AFTER INSERT ON faces
                    BEGIN UPDATE index_state SET changes = changes + 1, token = random() WHERE id = 1; END;
                CREATE TRIGGER faces_index_update AFTER UPDATE ON faces
                    BEGIN UPDATE index_state SET changes = changes + 1, token = random() WHERE id = 1; END;
                CREATE TRIGGER faces_index_delete AFTER DELETE ON faces
                    BEGIN UPDATE index_state SET changes = changes + 1, token = random() WHERE id = 1; END;
                """).ConfigureAwait(false);
        // The index's change log: which face each change touched, numbered as index_state counts
        // them, with the token the store had before it. A snapshot of the index as of an older
        // version is brought up to date from it after a crash (ReadIndexChangesAsync) instead of
        // being thrown away; each snapshot written trims it.
        if (version < 5) await MigrateAsync(_writer, 5, """
                CREATE TABLE index_log (
                    changes        INTEGER PRIMARY KEY,
                    previous_token INTEGER NOT NULL,
                    gallery        TEXT    NOT NULL,
                    face_id        INTEGER NOT NULL);
                DROP TRIGGER faces_index_insert;
                DROP TRIGGER faces_index_update;
                DROP TRIGGER faces_index_delete;
                CREATE TRIGGER faces_index_insert AFTER INSERT ON faces BEGIN
                    INSERT INTO index_log SELECT changes + 1, token, NEW.gallery, NEW.id FROM index_state WHERE id = 1;
                    UPDATE index_state SET changes = changes + 1, token = random() WHERE id = 1; END;
                CREATE TRIGGER faces_index_update AFTER UPDATE ON faces BEGIN
                    INSERT INTO index_log SELECT changes + 1, token, NEW.gallery, NEW.id FROM index_state WHERE id = 1;
                    UPDATE index_state SET changes = changes + 1, token = random() WHERE id = 1; END;
                CREATE TRIGGER faces_index_delete AFTER DELETE ON faces BEGIN
                    INSERT INTO index_log SELECT changes + 1, token, OLD.gallery, OLD.id FROM index_state WHERE id = 1;
                    UPDATE index_state SET changes = changes + 1, token = random() WHERE id = 1; END;
                """).ConfigureAwait(false);
        _initialised = true;
        return true;
    });

    /// <summary>One schema step: its statements and the new version, in one transaction.</summary>
    private static async Task MigrateAsync(SqliteConnection c, int version, string sql)
    {
        using var tx = c.BeginTransaction();
        await c.ExecuteAsync(sql, transaction: tx).ConfigureAwait(false);
        await c.ExecuteAsync("INSERT INTO schema_version (version) VALUES (@version);", new { version }, tx).ConfigureAwait(false);
        tx.Commit();
    }

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
                    var before = await ReadVersionAsync(c, tx).ConfigureAwait(false);
                    var result = await action(c, tx).ConfigureAwait(false);
                    var after = await ReadVersionAsync(c, tx).ConfigureAwait(false);
                    tx.Commit();
                    tx.Dispose();
                    // Known only while every change since the last read was this object's own.
                    var known = Volatile.Read(ref _knownBox);
                    Volatile.Write(ref _knownBox, known is not null && known.Value == before ? new StrongBox<IndexVersion>(after) : null);
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

    private static async Task<IndexVersion> ReadVersionAsync(SqliteConnection c, SqliteTransaction? tx)
    {
        var row = await c.QuerySingleAsync<(long changes, long token)>("SELECT changes, token FROM index_state WHERE id = 1;", transaction: tx).ConfigureAwait(false);
        return new IndexVersion(row.changes, row.token);
    }

    /// <inheritdoc/>
    public Task<IndexVersion> ReadIndexVersionAsync(CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var c = await OpenAsync(ct).ConfigureAwait(false);
            var version = await ReadVersionAsync(c, null).ConfigureAwait(false);
            Volatile.Write(ref _knownBox, new StrongBox<IndexVersion>(version));
            return version;
        }
        finally { _writeGate.Release(); }
    });

    /// <inheritdoc/>
    public Task<long?> CountIndexChangesAsync(IndexVersion from, IndexVersion to, CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        if (to.Changes <= from.Changes) return (long?)null;
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        // The log must hold every change after `from` up to `to`, the first of them made on the
        // token `from` had (not on another history that reached the same count), and the last `to`'s.
        var row = await c.QuerySingleAsync<(long count, long? first, long? last)>(
            "SELECT COUNT(*), MIN(changes), MAX(changes) FROM index_log WHERE changes > @from AND changes <= @to;",
            new { from = from.Changes, to = to.Changes }).ConfigureAwait(false);
        if (row.count != to.Changes - from.Changes || row.first != from.Changes + 1 || row.last != to.Changes) return null;
        var previous = await c.ExecuteScalarAsync<long?>("SELECT previous_token FROM index_log WHERE changes = @first;",
            new { first = from.Changes + 1 }).ConfigureAwait(false);
        return previous == from.Token ? row.count : null;
    });

    /// <inheritdoc/>
    public async IAsyncEnumerable<IndexChange> ReadIndexChangesAsync(IndexVersion from, IndexVersion to, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await StoreErrors.Guard(() => OpenAsync(ct)).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        // Each face once, as it is now (a row since deleted: no vector), whatever happened to it in between.
        cmd.CommandText = """
            SELECT l.gallery, l.face_id, f.meta, f.features, f.vector, f.subject
            FROM (SELECT DISTINCT gallery, face_id FROM index_log WHERE changes > $from AND changes <= $to) l
            LEFT JOIN faces f ON f.gallery = l.gallery AND f.id = l.face_id;
            """;
        cmd.Parameters.AddWithValue("$from", from.Changes);
        cmd.Parameters.AddWithValue("$to", to.Changes);
        await using var reader = await StoreErrors.Guard(() => cmd.ExecuteReaderAsync(ct)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var gallery = reader.GetString(0);
            long id = reader.GetInt64(1);
            yield return new IndexChange(gallery, id, reader.IsDBNull(4) ? null
                : new StoredFace(gallery, id, reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
    }

    /// <inheritdoc/>
    public async Task TrimIndexChangesAsync(IndexVersion upTo, CancellationToken ct)
    {
        // In batches, each its own write, so that trimming after a large import never holds the writer for long.
        int deleted;
        do
        {
            deleted = await WriteAsync(async (c, tx) => await c.ExecuteAsync(
                "DELETE FROM index_log WHERE changes IN (SELECT changes FROM index_log WHERE changes <= @upTo ORDER BY changes LIMIT 20000);",
                new { upTo = upTo.Changes }, tx).ConfigureAwait(false), ct).ConfigureAwait(false);
        } while (deleted > 0);
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
        await c.ExecuteAsync("""
            DELETE FROM faces WHERE gallery = @name;
            DELETE FROM thumbnails WHERE gallery = @name;
            DELETE FROM subjects WHERE gallery = @name;
            DELETE FROM negatives WHERE gallery = @name;
            """, new { name }, tx).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM galleries WHERE name = @name;", new { name }, tx).ConfigureAwait(false) == 1;
    }, ct);

    public Task<bool> InsertFaceAsync(StoredFace face, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        if (await c.ExecuteAsync(InsertSql, Row(face), tx).ConfigureAwait(false) != 1) return false;
        if (face.Subject is { } subject) await EnsureSubjectAsync(c, tx, face.Gallery, subject).ConfigureAwait(false);
        if (face.Thumbnail is { } jpeg)
            await c.ExecuteAsync("INSERT OR REPLACE INTO thumbnails (gallery, id, jpeg) VALUES (@Gallery, @Id, @jpeg);", new { face.Gallery, face.Id, jpeg }, tx).ConfigureAwait(false);
        return true;
    }, ct);

    private static Task EnsureSubjectAsync(SqliteConnection c, SqliteTransaction tx, string gallery, string subject) =>
        c.ExecuteAsync("INSERT INTO subjects (gallery, name) VALUES (@gallery, @subject) ON CONFLICT DO NOTHING;", new { gallery, subject }, tx);

    public Task<bool> SetFaceSubjectAsync(string gallery, long id, string? subject, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        if (await c.ExecuteAsync("UPDATE faces SET subject = @subject WHERE gallery = @gallery AND id = @id;",
                new { gallery, id, subject }, tx).ConfigureAwait(false) != 1) return false;
        if (subject is not null) await EnsureSubjectAsync(c, tx, gallery, subject).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<IReadOnlyList<string>> ListSubjectsAsync(string gallery, CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return (IReadOnlyList<string>)(await c.QueryAsync<string>("SELECT name FROM subjects WHERE gallery = @gallery ORDER BY name;",
            new { gallery }).ConfigureAwait(false)).AsList();
    });

    public Task<bool> CreateSubjectAsync(string gallery, string subject, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("INSERT INTO subjects (gallery, name) VALUES (@gallery, @subject) ON CONFLICT DO NOTHING;",
            new { gallery, subject }, tx).ConfigureAwait(false) == 1, ct);

    public Task RenameSubjectAsync(string gallery, string from, string to, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        await EnsureSubjectAsync(c, tx, gallery, to).ConfigureAwait(false);
        await c.ExecuteAsync("""
            UPDATE faces SET subject = @to WHERE gallery = @gallery AND subject = @from;
            UPDATE negatives SET subject = @to WHERE gallery = @gallery AND subject = @from;
            DELETE FROM subjects WHERE gallery = @gallery AND name = @from;
            """, new { gallery, from, to }, tx).ConfigureAwait(false);
        return true;
    }, ct);

    public Task DeleteSubjectAsync(string gallery, string subject, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("""
            DELETE FROM thumbnails WHERE gallery = @gallery AND id IN (SELECT id FROM faces WHERE gallery = @gallery AND subject = @subject);
            DELETE FROM faces WHERE gallery = @gallery AND subject = @subject;
            DELETE FROM negatives WHERE gallery = @gallery AND subject = @subject;
            DELETE FROM subjects WHERE gallery = @gallery AND name = @subject;
            """, new { gallery, subject }, tx).ConfigureAwait(false), ct);

    public Task<bool> InsertNegativeAsync(StoredNegative n, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        if (await c.ExecuteAsync("""
                INSERT INTO negatives (gallery, id, subject, vector, source, created_ms)
                VALUES (@Gallery, @Id, @Subject, @Vector, @Source, @CreatedMs) ON CONFLICT DO NOTHING;
                """, new { n.Gallery, n.Id, n.Subject, n.Vector, n.Source, n.CreatedMs }, tx).ConfigureAwait(false) != 1) return false;
        await EnsureSubjectAsync(c, tx, n.Gallery, n.Subject).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> DeleteNegativeAsync(string gallery, long id, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("DELETE FROM negatives WHERE gallery = @gallery AND id = @id;", new { gallery, id }, tx).ConfigureAwait(false) == 1, ct);

    public async IAsyncEnumerable<StoredNegative> ReadNegativesAsync(string gallery, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await StoreErrors.Guard(() => OpenAsync(ct)).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, subject, vector, source, created_ms FROM negatives WHERE gallery = $g;";
        cmd.Parameters.AddWithValue("$g", gallery);
        await using var reader = await StoreErrors.Guard(() => cmd.ExecuteReaderAsync(ct)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            yield return new StoredNegative(gallery, reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetString(3), reader.GetInt64(4));
    }

    public Task InsertFacesAsync(IReadOnlyList<StoredFace> faces, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO faces (gallery, id, meta, features, vector, subject) VALUES ($g, $i, $m, $f, $v, $s);";
        var g = cmd.Parameters.Add("$g", SqliteType.Text);
        var i = cmd.Parameters.Add("$i", SqliteType.Integer);
        var m = cmd.Parameters.Add("$m", SqliteType.Text);
        var f = cmd.Parameters.Add("$f", SqliteType.Text);
        var v = cmd.Parameters.Add("$v", SqliteType.Blob);
        var s = cmd.Parameters.Add("$s", SqliteType.Text);
        cmd.Prepare();
        foreach (var face in faces)
        {
            g.Value = face.Gallery; i.Value = face.Id; m.Value = face.MetaJson; f.Value = face.FeaturesJson; v.Value = face.Vector;
            s.Value = (object?)face.Subject ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        foreach (var (gallery, subject) in faces.Where(x => x.Subject is not null).Select(x => (x.Gallery, x.Subject!)).Distinct())
            await EnsureSubjectAsync(c, tx, gallery, subject).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> UpdateMetaAsync(string gallery, long id, string metaJson, CancellationToken ct) => WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE faces SET meta = @metaJson WHERE gallery = @gallery AND id = @id;",
            new { gallery, id, metaJson }, tx).ConfigureAwait(false) == 1, ct);

    public Task<bool> DeleteFaceAsync(string gallery, long id, CancellationToken ct) => WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("DELETE FROM thumbnails WHERE gallery = @gallery AND id = @id;", new { gallery, id }, tx).ConfigureAwait(false);
        return await c.ExecuteAsync("DELETE FROM faces WHERE gallery = @gallery AND id = @id;", new { gallery, id }, tx).ConfigureAwait(false) == 1;
    }, ct);

    public Task<byte[]?> ReadThumbnailAsync(string gallery, long id, CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<byte[]?>("SELECT jpeg FROM thumbnails WHERE gallery = @gallery AND id = @id;", new { gallery, id }).ConfigureAwait(false);
    });

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
        cmd.CommandText = "SELECT id, meta, features, vector, subject FROM faces WHERE gallery = $g;";
        cmd.Parameters.AddWithValue("$g", gallery);
        await using var reader = await StoreErrors.Guard(() => cmd.ExecuteReaderAsync(ct)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            yield return new StoredFace(gallery, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    private const string InsertSql =
        "INSERT INTO faces (gallery, id, meta, features, vector, subject) VALUES (@Gallery, @Id, @MetaJson, @FeaturesJson, @Vector, @Subject) ON CONFLICT DO NOTHING;";

    private static object Row(StoredFace f) => new { f.Gallery, f.Id, f.MetaJson, f.FeaturesJson, f.Vector, f.Subject };

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        SqliteConnection.ClearAllPools();
    }
}
