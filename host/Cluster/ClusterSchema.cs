using Npgsql;

namespace Router.Host.Cluster;

/// <summary>
/// The cluster's tables in the shared PostgreSQL database: <c>cameras</c> (the cameras stored over the
/// API of any node), <c>nodes</c> (one row a node name: heartbeat, what it runs, and its event id slot) and
/// <c>camera_handoffs</c> (a camera its holder stopped and is about to unlock: the next holder need not wait).
/// Created at start, serialized between nodes that start together.
/// </summary>
public static class ClusterSchema
{
    /// <summary>The channel a camera write notifies, so that every node looks at once rather than at its next poll.</summary>
    public const string CamerasChannel = "router_cameras";

    /// <summary>Most node names a deployment keeps a slot for (10 bits of the event ids).</summary>
    public const int Slots = 1024;

    public static async Task CreateAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var c = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(4242010);", c, tx)) await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS cameras (
                id         text        PRIMARY KEY,
                record     text        NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE IF NOT EXISTS nodes (
                name           text             PRIMARY KEY,
                slot           integer          NOT NULL UNIQUE CHECK (slot >= 0 AND slot < {Slots}),
                address        text,
                version        text,
                started_at     timestamptz,
                last_heartbeat timestamptz,
                cameras        integer          NOT NULL DEFAULT 0,
                load           double precision NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS camera_handoffs (
                id   text        PRIMARY KEY,
                node text        NOT NULL,
                at   timestamptz NOT NULL DEFAULT now());
            """, c, tx)) await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }
}
