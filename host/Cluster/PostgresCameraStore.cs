using System.Text.Json;
using Npgsql;
using Router.Abstractions;
using Router.Host.Cameras;

namespace Router.Host.Cluster;

/// <summary>
/// The cameras of a cluster, in the shared PostgreSQL <c>cameras</c> table: a PUT or DELETE on any node
/// writes there (and NOTIFYs), every node reads them from memory, refreshed by <see cref="RefreshAsync"/>
/// (the assigner calls it each tick and on every notification). While PostgreSQL is unreachable the last
/// list read stays, and writes fail with STORAGE_ERROR.
/// </summary>
public sealed class PostgresCameraStore : ICameraStore
{
    private readonly NpgsqlDataSource _source;
    private volatile Dictionary<string, CameraRecord> _records = new(StringComparer.Ordinal);

    public PostgresCameraStore(ClusterDatabase database) => _source = database.Source;

    public string Description => "PostgreSQL (table cameras)";

    public IReadOnlyList<CameraRecord> All() => _records.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

    public CameraRecord? Get(string id) => _records.GetValueOrDefault(id);

    public async Task PutAsync(CameraRecord record, CancellationToken ct)
    {
        await GuardAsync(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"""
                INSERT INTO cameras (id, record, updated_at) VALUES (@id, @record, now())
                ON CONFLICT (id) DO UPDATE SET record = excluded.record, updated_at = now();
                SELECT pg_notify('{ClusterSchema.CamerasChannel}', @id);
                """, c);
            cmd.Parameters.AddWithValue("id", record.Id);
            cmd.Parameters.AddWithValue("record", JsonSerializer.Serialize(record));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        Replace(records => records[record.Id] = record);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        var deleted = await GuardAsync(async () =>
        {
            await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"""
                WITH gone AS (DELETE FROM cameras WHERE id = @id RETURNING id)
                SELECT count(*), pg_notify('{ClusterSchema.CamerasChannel}', @id) FROM gone;
                """, c);
            cmd.Parameters.AddWithValue("id", id);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false)) > 0;
        }).ConfigureAwait(false);
        Replace(records => records.Remove(id));
        return deleted;
    }

    /// <summary>Reads the whole table on <paramref name="c"/> (a deployment holds hundreds of cameras, not millions); throws when PostgreSQL fails.</summary>
    public async Task RefreshAsync(NpgsqlConnection c, CancellationToken ct)
    {
        var next = new Dictionary<string, CameraRecord>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("SELECT id, record FROM cameras;", c);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            try
            {
                if (JsonSerializer.Deserialize<CameraRecord>(reader.GetString(1)) is { } record) next[id] = record with { Id = id };
            }
            catch (JsonException)
            {
                // A row written by hand and unreadable: skipped, never rewritten (the operator must look at it).
            }
        }
        lock (_write) _records = next;
    }

    private readonly object _write = new();

    private void Replace(Action<Dictionary<string, CameraRecord>> change)
    {
        lock (_write)
        {
            var next = new Dictionary<string, CameraRecord>(_records, StringComparer.Ordinal);
            change(next);
            _records = next;
        }
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> write)
    {
        try { return await write().ConfigureAwait(false); }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new RouterException(ErrorCodes.StorageError, $"cannot write the camera to PostgreSQL: {e.Message}");
        }
    }

    private static Task GuardAsync(Func<Task> write) => GuardAsync(async () => { await write().ConfigureAwait(false); return true; });
}
