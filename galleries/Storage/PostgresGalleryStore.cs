using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;

namespace Router.Galleries.Storage;

/// <summary>
/// PostgreSQL 15 store through Npgsql + Dapper. Vectors are bytea (reading them is ~5×
/// faster than real[], stack.md). Each write is its own committed transaction, which
/// PostgreSQL makes durable (synchronous_commit on) before it answers.
/// </summary>
public sealed class PostgresGalleryStore : IGalleryStore, IGalleryChangeFeed
{
    private const int SchemaVersion = 4;
    private readonly NpgsqlDataSource _source;

    public PostgresGalleryStore(string connectionString)
    {
        _source = NpgsqlDataSource.Create(connectionString);
    }

    public Task InitializeAsync(CancellationToken ct) => StoreErrors.Guard(async () =>
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        // Serialises concurrent start-ups against the same database.
        await c.ExecuteAsync("SELECT pg_advisory_xact_lock(4242001);", transaction: tx).ConfigureAwait(false);
        await c.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);", transaction: tx).ConfigureAwait(false);
        var version = await c.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version;", transaction: tx).ConfigureAwait(false) ?? 0;
        if (version > SchemaVersion)
            throw new InvalidOperationException($"the PostgreSQL store has schema version {version}, newer than this Router ({SchemaVersion})");
        if (version < 1)
        {
            await c.ExecuteAsync("""
                CREATE TABLE galleries (name text PRIMARY KEY);
                CREATE TABLE faces (
                    gallery  text   NOT NULL REFERENCES galleries (name) ON DELETE CASCADE,
                    id       bigint NOT NULL,
                    meta     text   NOT NULL,
                    features text   NOT NULL,
                    vector   bytea  NOT NULL,
                    PRIMARY KEY (gallery, id));
                INSERT INTO schema_version (version) VALUES (1);
                """, transaction: tx).ConfigureAwait(false);
        }
        if (version < 2)
        {
            // Subjects and negative examples; existing faces keep everything and get no subject.
            await c.ExecuteAsync("""
                ALTER TABLE faces ADD COLUMN subject text;
                CREATE INDEX faces_gallery_subject ON faces (gallery, subject) WHERE subject IS NOT NULL;
                CREATE TABLE subjects (
                    gallery text NOT NULL REFERENCES galleries (name) ON DELETE CASCADE,
                    name    text NOT NULL,
                    PRIMARY KEY (gallery, name));
                CREATE TABLE negatives (
                    gallery    text   NOT NULL REFERENCES galleries (name) ON DELETE CASCADE,
                    id         bigint NOT NULL,
                    subject    text   NOT NULL,
                    vector     bytea  NOT NULL,
                    source     text   NOT NULL,
                    created_ms bigint NOT NULL,
                    PRIMARY KEY (gallery, id));
                INSERT INTO schema_version (version) VALUES (2);
                """, transaction: tx).ConfigureAwait(false);
        }
        if (version < 3)
        {
            // The change log that nodes sharing this database follow (IGalleryChangeFeed).
            await c.ExecuteAsync("""
                CREATE TABLE changes (
                    seq     bigserial   PRIMARY KEY,
                    gallery text        NOT NULL,
                    kind    smallint    NOT NULL,
                    id      bigint      NOT NULL DEFAULT 0,
                    at      timestamptz NOT NULL DEFAULT now());
                CREATE TABLE changes_trimmed (upto bigint NOT NULL);
                INSERT INTO changes_trimmed (upto) VALUES (0);
                INSERT INTO schema_version (version) VALUES (3);
                """, transaction: tx).ConfigureAwait(false);
        }
        if (version < 4)
        {
            // Thumbnails apart from the faces (the start-up load never reads them), gone with their face.
            await c.ExecuteAsync("""
                CREATE TABLE thumbnails (
                    gallery text   NOT NULL,
                    id      bigint NOT NULL,
                    jpeg    bytea  NOT NULL,
                    PRIMARY KEY (gallery, id),
                    FOREIGN KEY (gallery, id) REFERENCES faces (gallery, id) ON DELETE CASCADE);
                INSERT INTO schema_version (version) VALUES (4);
                """, transaction: tx).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    });

    // Npgsql drops a pooled connection that a server restart killed when it is next used (tested by
    // PostgresStoreFaultTests), so a write fails during an outage and works as soon as the server is back.
    private async Task<T> WithConnection<T>(Func<NpgsqlConnection, Task<T>> action, CancellationToken ct) =>
        await StoreErrors.Guard(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            return await action(c).ConfigureAwait(false);
        }).ConfigureAwait(false);

    /// <summary>Several statements as one committed transaction.</summary>
    private Task<T> InTransaction<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> action, CancellationToken ct) => WithConnection(async c =>
    {
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        var result = await action(c, tx).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }, ct);

    /// <summary>
    /// Logs a change as the last step of its transaction. The transaction-scoped advisory lock makes
    /// commits of logged changes happen in sequence order (held from the insert to the commit), so a
    /// follower that has read up to seq N never later meets an uncommitted smaller number.
    /// </summary>
    private async Task ChangedAsync(NpgsqlConnection c, NpgsqlTransaction tx, string gallery, GalleryChangeKind kind, long id = 0)
    {
        await c.ExecuteAsync("""
            SELECT pg_advisory_xact_lock(4242002);
            INSERT INTO changes (gallery, kind, id) VALUES (@gallery, @kind, @id);
            SELECT pg_notify('router_gallery_changes', @gallery);
            """, new { gallery, kind = (short)kind, id }, tx).ConfigureAwait(false);
        // Followers trim too; this keeps a single node without followers from growing the log for ever.
        if (Interlocked.Increment(ref _changesSinceTrim) % 1000 == 0)
            await TrimAsync(c, tx, ChangeRetention).ConfigureAwait(false);
    }

    /// <summary>How long the change log keeps entries: a node away longer reloads its galleries.</summary>
    public static readonly TimeSpan ChangeRetention = TimeSpan.FromMinutes(10);

    private long _changesSinceTrim;

    private static Task EnsureSubjectAsync(NpgsqlConnection c, NpgsqlTransaction tx, string gallery, string subject) =>
        c.ExecuteAsync("INSERT INTO subjects (gallery, name) VALUES (@gallery, @subject) ON CONFLICT DO NOTHING;", new { gallery, subject }, tx);

    public Task<IReadOnlyList<string>> ListGalleriesAsync(CancellationToken ct) => WithConnection(async c =>
        (IReadOnlyList<string>)(await c.QueryAsync<string>("SELECT name FROM galleries ORDER BY name;").ConfigureAwait(false)).AsList(), ct);

    public Task<bool> CreateGalleryAsync(string name, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("INSERT INTO galleries (name) VALUES (@name) ON CONFLICT DO NOTHING;", new { name }, tx).ConfigureAwait(false) != 1) return false;
        await ChangedAsync(c, tx, name, GalleryChangeKind.Gallery).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> DropGalleryAsync(string name, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("DELETE FROM galleries WHERE name = @name;", new { name }, tx).ConfigureAwait(false) != 1) return false;
        await ChangedAsync(c, tx, name, GalleryChangeKind.Gallery).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> InsertFaceAsync(StoredFace f, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync(InsertSql, Row(f), tx).ConfigureAwait(false) != 1) return false;
        if (f.Thumbnail is { } jpeg)
            await c.ExecuteAsync("INSERT INTO thumbnails (gallery, id, jpeg) VALUES (@Gallery, @Id, @jpeg) ON CONFLICT (gallery, id) DO UPDATE SET jpeg = EXCLUDED.jpeg;",
                new { f.Gallery, f.Id, jpeg }, tx).ConfigureAwait(false);
        if (f.Subject is not null)
        {
            await EnsureSubjectAsync(c, tx, f.Gallery, f.Subject).ConfigureAwait(false);
            await ChangedAsync(c, tx, f.Gallery, GalleryChangeKind.Subjects).ConfigureAwait(false);
        }
        await ChangedAsync(c, tx, f.Gallery, GalleryChangeKind.Face, f.Id).ConfigureAwait(false);
        return true;
    }, ct);

    private const string InsertSql =
        "INSERT INTO faces (gallery, id, meta, features, vector, subject) VALUES (@Gallery, @Id, @MetaJson, @FeaturesJson, @Vector, @Subject) ON CONFLICT DO NOTHING;";

    private static object Row(StoredFace f) => new { f.Gallery, f.Id, f.MetaJson, f.FeaturesJson, f.Vector, f.Subject };

    public Task InsertFacesAsync(IReadOnlyList<StoredFace> faces, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        foreach (var (gallery, subject) in faces.Where(x => x.Subject is not null).Select(x => (x.Gallery, x.Subject!)).Distinct())
            await EnsureSubjectAsync(c, tx, gallery, subject).ConfigureAwait(false);
        await using var writer = await c.BeginBinaryImportAsync(
            "COPY faces (gallery, id, meta, features, vector, subject) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var f in faces)
        {
            await writer.StartRowAsync(ct).ConfigureAwait(false);
            await writer.WriteAsync(f.Gallery, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.Id, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.MetaJson, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.FeaturesJson, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.Vector, ct).ConfigureAwait(false);
            if (f.Subject is null) await writer.WriteNullAsync(ct).ConfigureAwait(false);
            else await writer.WriteAsync(f.Subject, ct).ConfigureAwait(false);
        }
        await writer.CompleteAsync(ct).ConfigureAwait(false);
        foreach (var gallery in faces.Select(f => f.Gallery).Distinct())
            await ChangedAsync(c, tx, gallery, GalleryChangeKind.Gallery).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> UpdateMetaAsync(string gallery, long id, string metaJson, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("UPDATE faces SET meta = @metaJson WHERE gallery = @gallery AND id = @id;",
                new { gallery, id, metaJson }, tx).ConfigureAwait(false) != 1) return false;
        await ChangedAsync(c, tx, gallery, GalleryChangeKind.Face, id).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> DeleteFaceAsync(string gallery, long id, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("DELETE FROM faces WHERE gallery = @gallery AND id = @id;", new { gallery, id }, tx).ConfigureAwait(false) != 1) return false;
        await ChangedAsync(c, tx, gallery, GalleryChangeKind.Face, id).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<Dictionary<long, byte[]>> ReadVectorsAsync(string gallery, IReadOnlyList<long> ids, CancellationToken ct) => WithConnection(async c =>
    {
        var result = new Dictionary<long, byte[]>(ids.Count);
        var array = ids as long[] ?? ids.ToArray();
        foreach (var row in await c.QueryAsync<(long id, byte[] vector)>(
                     "SELECT id, vector FROM faces WHERE gallery = @gallery AND id = ANY(@array);", new { gallery, array }).ConfigureAwait(false))
            result[row.id] = row.vector;
        return result;
    }, ct);

    public async IAsyncEnumerable<StoredFace> ReadAllAsync(string gallery, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await StoreErrors.Guard(async () => await _source.OpenConnectionAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id, meta, features, vector, subject FROM faces WHERE gallery = $1;", c);
        cmd.Parameters.AddWithValue(gallery);
        await using var reader = await StoreErrors.Guard(async () => await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            yield return new StoredFace(gallery, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    public Task<bool> SetFaceSubjectAsync(string gallery, long id, string? subject, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("UPDATE faces SET subject = @subject WHERE gallery = @gallery AND id = @id;",
                new { gallery, id, subject }, tx).ConfigureAwait(false) != 1) return false;
        if (subject is not null)
        {
            await EnsureSubjectAsync(c, tx, gallery, subject).ConfigureAwait(false);
            await ChangedAsync(c, tx, gallery, GalleryChangeKind.Subjects).ConfigureAwait(false);
        }
        await ChangedAsync(c, tx, gallery, GalleryChangeKind.Face, id).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<IReadOnlyList<string>> ListSubjectsAsync(string gallery, CancellationToken ct) => WithConnection(async c =>
        (IReadOnlyList<string>)(await c.QueryAsync<string>("SELECT name FROM subjects WHERE gallery = @gallery ORDER BY name;",
            new { gallery }).ConfigureAwait(false)).AsList(), ct);

    public Task<bool> CreateSubjectAsync(string gallery, string subject, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("INSERT INTO subjects (gallery, name) VALUES (@gallery, @subject) ON CONFLICT DO NOTHING;",
                new { gallery, subject }, tx).ConfigureAwait(false) != 1) return false;
        await ChangedAsync(c, tx, gallery, GalleryChangeKind.Subjects).ConfigureAwait(false);
        return true;
    }, ct);

    public Task RenameSubjectAsync(string gallery, string from, string to, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        await EnsureSubjectAsync(c, tx, gallery, to).ConfigureAwait(false);
        await c.ExecuteAsync("""
            UPDATE faces SET subject = @to WHERE gallery = @gallery AND subject = @from;
            UPDATE negatives SET subject = @to WHERE gallery = @gallery AND subject = @from;
            DELETE FROM subjects WHERE gallery = @gallery AND name = @from;
            """, new { gallery, from, to }, tx).ConfigureAwait(false);
        await ChangedAsync(c, tx, gallery, GalleryChangeKind.Gallery).ConfigureAwait(false);
        return true;
    }, ct);

    public Task DeleteSubjectAsync(string gallery, string subject, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            DELETE FROM faces WHERE gallery = @gallery AND subject = @subject;
            DELETE FROM negatives WHERE gallery = @gallery AND subject = @subject;
            DELETE FROM subjects WHERE gallery = @gallery AND name = @subject;
            """, new { gallery, subject }, tx).ConfigureAwait(false);
        await ChangedAsync(c, tx, gallery, GalleryChangeKind.Gallery).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> InsertNegativeAsync(StoredNegative n, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("""
                INSERT INTO negatives (gallery, id, subject, vector, source, created_ms)
                VALUES (@Gallery, @Id, @Subject, @Vector, @Source, @CreatedMs) ON CONFLICT DO NOTHING;
                """, new { n.Gallery, n.Id, n.Subject, n.Vector, n.Source, n.CreatedMs }, tx).ConfigureAwait(false) != 1) return false;
        await EnsureSubjectAsync(c, tx, n.Gallery, n.Subject).ConfigureAwait(false);
        await ChangedAsync(c, tx, n.Gallery, GalleryChangeKind.Subjects).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> DeleteNegativeAsync(string gallery, long id, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("DELETE FROM negatives WHERE gallery = @gallery AND id = @id;", new { gallery, id }, tx).ConfigureAwait(false) != 1) return false;
        await ChangedAsync(c, tx, gallery, GalleryChangeKind.Subjects).ConfigureAwait(false);
        return true;
    }, ct);

    public async IAsyncEnumerable<StoredNegative> ReadNegativesAsync(string gallery, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await StoreErrors.Guard(async () => await _source.OpenConnectionAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id, subject, vector, source, created_ms FROM negatives WHERE gallery = $1;", c);
        cmd.Parameters.AddWithValue(gallery);
        await using var reader = await StoreErrors.Guard(async () => await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            yield return new StoredNegative(gallery, reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetString(3), reader.GetInt64(4));
    }

    public Task<(long Latest, long Trimmed)> ChangePositionAsync(CancellationToken ct) => WithConnection(async c =>
        await c.QuerySingleAsync<(long, long)>(
            "SELECT COALESCE((SELECT MAX(seq) FROM changes), (SELECT upto FROM changes_trimmed)), (SELECT upto FROM changes_trimmed);").ConfigureAwait(false), ct);

    public Task<IReadOnlyList<GalleryChange>> ReadChangesAsync(long after, int max, CancellationToken ct) => WithConnection(async c =>
        (IReadOnlyList<GalleryChange>)(await c.QueryAsync<(long seq, string gallery, short kind, long id)>(
                "SELECT seq, gallery, kind, id FROM changes WHERE seq > @after ORDER BY seq LIMIT @max;", new { after, max }).ConfigureAwait(false))
            .Select(r => new GalleryChange(r.seq, r.gallery, (GalleryChangeKind)r.kind, r.id)).ToList(), ct);

    public Task<byte[]?> ReadThumbnailAsync(string gallery, long id, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteScalarAsync<byte[]?>("SELECT jpeg FROM thumbnails WHERE gallery = @gallery AND id = @id;", new { gallery, id }).ConfigureAwait(false), ct);

    public Task<StoredFace?> ReadFaceAsync(string gallery, long id, CancellationToken ct) => WithConnection(async c =>
    {
        var row = await c.QuerySingleOrDefaultAsync<(long id, string meta, string features, byte[] vector, string? subject)?>(
            "SELECT id, meta, features, vector, subject FROM faces WHERE gallery = @gallery AND id = @id;", new { gallery, id }).ConfigureAwait(false);
        return row is { } r ? new StoredFace(gallery, r.id, r.meta, r.features, r.vector, r.subject) : null;
    }, ct);

    public Task TrimChangesAsync(TimeSpan age, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        await TrimAsync(c, tx, age).ConfigureAwait(false);
        return true;
    }, ct);

    private static Task TrimAsync(NpgsqlConnection c, NpgsqlTransaction tx, TimeSpan age) =>
        c.ExecuteAsync("""
            WITH gone AS (DELETE FROM changes WHERE at < now() - @age RETURNING seq)
            UPDATE changes_trimmed SET upto = GREATEST(upto, COALESCE((SELECT MAX(seq) FROM gone), 0));
            """, new { age }, tx);

    private readonly SemaphoreSlim _changed = new(0, 1);
    private Task? _listener;

    /// <summary>
    /// LISTENs on one dedicated connection (opened on first use, reopened after a failure) and wakes
    /// the follower on every notification; the timeout bounds the wait when notifications are lost.
    /// </summary>
    public async Task WaitForChangeAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_listener is null || _listener.IsCompleted) _listener = ListenAsync(_disposed.Token);
        await _changed.WaitAsync(timeout, ct).ConfigureAwait(false);
    }

    private readonly CancellationTokenSource _disposed = new();

    private async Task ListenAsync(CancellationToken ct)
    {
        try
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            c.Notification += (_, _) => { if (_changed.CurrentCount == 0) try { _changed.Release(); } catch (SemaphoreFullException) { } };
            await using (var cmd = new NpgsqlCommand("LISTEN router_gallery_changes;", c)) await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested) await c.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // The connection dropped: the follower's timed waits keep it polling until the next wait reopens it.
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        if (_listener is not null) await _listener.ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
    }
}
