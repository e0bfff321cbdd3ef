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
    private const int SchemaVersion = 1;
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
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    });

    private async Task<T> WithConnection<T>(Func<NpgsqlConnection, Task<T>> action, CancellationToken ct) =>
        await StoreErrors.Guard(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            return await action(c).ConfigureAwait(false);
        }).ConfigureAwait(false);

    public Task<IReadOnlyList<string>> ListGalleriesAsync(CancellationToken ct) => WithConnection(async c =>
        (IReadOnlyList<string>)(await c.QueryAsync<string>("SELECT name FROM galleries ORDER BY name;").ConfigureAwait(false)).AsList(), ct);

    public Task<bool> CreateGalleryAsync(string name, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("INSERT INTO galleries (name) VALUES (@name) ON CONFLICT DO NOTHING;", new { name }).ConfigureAwait(false) == 1, ct);

    public Task<bool> DropGalleryAsync(string name, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync("DELETE FROM galleries WHERE name = @name;", new { name }).ConfigureAwait(false) == 1, ct);

    public Task<bool> InsertFaceAsync(StoredFace f, CancellationToken ct) => WithConnection(async c =>
        await c.ExecuteAsync(
            "INSERT INTO faces (gallery, id, meta, features, vector) VALUES (@Gallery, @Id, @MetaJson, @FeaturesJson, @Vector) ON CONFLICT DO NOTHING;",
            new { f.Gallery, f.Id, f.MetaJson, f.FeaturesJson, f.Vector }).ConfigureAwait(false) == 1, ct);

    public Task InsertFacesAsync(IReadOnlyList<StoredFace> faces, CancellationToken ct) => WithConnection(async c =>
    {
        await using var writer = await c.BeginBinaryImportAsync(
            "COPY faces (gallery, id, meta, features, vector) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var f in faces)
        {
            await writer.StartRowAsync(ct).ConfigureAwait(false);
            await writer.WriteAsync(f.Gallery, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.Id, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.MetaJson, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.FeaturesJson, ct).ConfigureAwait(false);
            await writer.WriteAsync(f.Vector, ct).ConfigureAwait(false);
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
        await using var cmd = new NpgsqlCommand("SELECT id, meta, features, vector FROM faces WHERE gallery = $1;", c);
        cmd.Parameters.AddWithValue(gallery);
        await using var reader = await StoreErrors.Guard(async () => await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            yield return new StoredFace(gallery, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3));
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
