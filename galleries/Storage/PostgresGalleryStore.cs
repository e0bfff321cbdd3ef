using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;

namespace Router.Galleries.Storage;

/// <summary>
/// PostgreSQL 15 store through Npgsql + Dapper. Vectors are bytea (reading them is ~5×
/// faster than real[], stack.md). Each write is its own committed transaction, which
/// PostgreSQL makes durable (synchronous_commit on) before it answers.
/// </summary>
public sealed class PostgresGalleryStore : IGalleryStore
{
    private const int SchemaVersion = 2;
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
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    });

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

    private static Task EnsureSubjectAsync(NpgsqlConnection c, NpgsqlTransaction tx, string gallery, string subject) =>
        c.ExecuteAsync("INSERT INTO subjects (gallery, name) VALUES (@gallery, @subject) ON CONFLICT DO NOTHING;", new { gallery, subject }, tx);

    public Task<IReadOnlyList<string>> ListGalleriesAsync(CancellationToken ct) => WithConnection(async c =>
        (IReadOnlyList<string>)(await c.QueryAsync<string>("SELECT name FROM galleries ORDER BY name;").ConfigureAwait(false)).AsList(), ct);

    public Task<bool> CreateGalleryAsync(string name, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("INSERT INTO galleries (name) VALUES (@name) ON CONFLICT DO NOTHING;", new { name }).ConfigureAwait(false) == 1, ct);

    public Task<bool> DropGalleryAsync(string name, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("DELETE FROM galleries WHERE name = @name;", new { name }).ConfigureAwait(false) == 1, ct);

    public Task<bool> InsertFaceAsync(StoredFace f, CancellationToken ct) => f.Subject is null
        ? WithConnection(async c => await c.ExecuteAsync(InsertSql, Row(f)).ConfigureAwait(false) == 1, ct)
        : InTransaction(async (c, tx) =>
        {
            if (await c.ExecuteAsync(InsertSql, Row(f), tx).ConfigureAwait(false) != 1) return false;
            await EnsureSubjectAsync(c, tx, f.Gallery, f.Subject).ConfigureAwait(false);
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
        return true;
    }, ct);

    public Task<bool> UpdateMetaAsync(string gallery, long id, string metaJson, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("UPDATE faces SET meta = @metaJson WHERE gallery = @gallery AND id = @id;",
            new { gallery, id, metaJson }).ConfigureAwait(false) == 1, ct);

    public Task<bool> DeleteFaceAsync(string gallery, long id, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("DELETE FROM faces WHERE gallery = @gallery AND id = @id;", new { gallery, id }).ConfigureAwait(false) == 1, ct);

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
        if (subject is not null) await EnsureSubjectAsync(c, tx, gallery, subject).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<IReadOnlyList<string>> ListSubjectsAsync(string gallery, CancellationToken ct) => WithConnection(async c =>
        (IReadOnlyList<string>)(await c.QueryAsync<string>("SELECT name FROM subjects WHERE gallery = @gallery ORDER BY name;",
            new { gallery }).ConfigureAwait(false)).AsList(), ct);

    public Task<bool> CreateSubjectAsync(string gallery, string subject, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("INSERT INTO subjects (gallery, name) VALUES (@gallery, @subject) ON CONFLICT DO NOTHING;",
            new { gallery, subject }).ConfigureAwait(false) == 1, ct);

    public Task RenameSubjectAsync(string gallery, string from, string to, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        await EnsureSubjectAsync(c, tx, gallery, to).ConfigureAwait(false);
        await c.ExecuteAsync("""
            UPDATE faces SET subject = @to WHERE gallery = @gallery AND subject = @from;
            UPDATE negatives SET subject = @to WHERE gallery = @gallery AND subject = @from;
            DELETE FROM subjects WHERE gallery = @gallery AND name = @from;
            """, new { gallery, from, to }, tx).ConfigureAwait(false);
        return true;
    }, ct);

    public Task DeleteSubjectAsync(string gallery, string subject, CancellationToken ct) => InTransaction(async (c, tx) =>
        await c.ExecuteAsync("""
            DELETE FROM faces WHERE gallery = @gallery AND subject = @subject;
            DELETE FROM negatives WHERE gallery = @gallery AND subject = @subject;
            DELETE FROM subjects WHERE gallery = @gallery AND name = @subject;
            """, new { gallery, subject }, tx).ConfigureAwait(false), ct);

    public Task<bool> InsertNegativeAsync(StoredNegative n, CancellationToken ct) => InTransaction(async (c, tx) =>
    {
        if (await c.ExecuteAsync("""
                INSERT INTO negatives (gallery, id, subject, vector, source, created_ms)
                VALUES (@Gallery, @Id, @Subject, @Vector, @Source, @CreatedMs) ON CONFLICT DO NOTHING;
                """, new { n.Gallery, n.Id, n.Subject, n.Vector, n.Source, n.CreatedMs }, tx).ConfigureAwait(false) != 1) return false;
        await EnsureSubjectAsync(c, tx, n.Gallery, n.Subject).ConfigureAwait(false);
        return true;
    }, ct);

    public Task<bool> DeleteNegativeAsync(string gallery, long id, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("DELETE FROM negatives WHERE gallery = @gallery AND id = @id;", new { gallery, id }).ConfigureAwait(false) == 1, ct);

    public async IAsyncEnumerable<StoredNegative> ReadNegativesAsync(string gallery, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var c = await StoreErrors.Guard(async () => await _source.OpenConnectionAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id, subject, vector, source, created_ms FROM negatives WHERE gallery = $1;", c);
        cmd.Parameters.AddWithValue(gallery);
        await using var reader = await StoreErrors.Guard(async () => await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            yield return new StoredNegative(gallery, reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetString(3), reader.GetInt64(4));
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
