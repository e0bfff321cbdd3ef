using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Options;
using Npgsql;
using Router.Host.Cameras;

namespace Router.Host.Cluster;

/// <summary>
/// Decides which stored cameras run on this node, with PostgreSQL's own primitive: a session-level
/// advisory lock a camera, held on one dedicated connection (the lock connection) that also heartbeats
/// into <c>nodes</c> and LISTENs for camera changes. The server releases a node's locks when that
/// connection dies (at once for a killed process; within about KeepAliveSeconds + 2 s for a silent
/// network, through server-side TCP keepalives and tcp_user_timeout).
/// </summary>
/// <remarks>
/// Each tick (every TickInterval, or at once on a NOTIFY): refresh the cameras, heartbeat, read the
/// sessions and locks of every node, then
/// <list type="bullet">
/// <item>stop and unlock cameras deleted or disabled;</item>
/// <item>take free cameras (no lock) while this node holds fewer than its fair share, ceil(cameras / live nodes);</item>
/// <item>give one camera away (stop, unlock) when above the share, or two above the least loaded node,
/// and some other node is below its share: a joining node gets its share in a few ticks, and no other stream moves;</item>
/// <item>start a camera whose lock it took TakeoverGrace ago (the old holder fenced itself by then), or at once when
/// its previous holder handed it over (stopped it, wrote <c>camera_handoffs</c>, then unlocked: a rebalance or a clean stop).</item>
/// </list>
/// Fencing: a watchdog stops every camera of this node once its last successful tick is FenceAfter old,
/// whatever the lock connection is doing (hung, reconnecting). Below that bound a PostgreSQL restart
/// does not stop a stream: the node reconnects, locks its running cameras again first (SettleTime), and
/// stops at once any whose lock another node took meanwhile.
/// </remarks>
public sealed class CameraAssigner : BackgroundService
{
    private static readonly string Version = typeof(CameraAssigner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
    private readonly ClusterOptions _options;
    private readonly ClusterDatabase _database;
    private readonly PostgresCameraStore _store;
    private readonly CameraCatalog _catalog;
    private readonly ClusterState _state;
    private readonly ClusterEventIdGenerator _ids;
    private readonly ILogger<CameraAssigner> _logger;
    private readonly string _address;
    private readonly string _appName;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    // Cameras whose lock the current lock connection holds, and since when (Stopwatch ticks) for those not started yet.
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private long _lastOk = Stopwatch.GetTimestamp();
    private bool _outage;
    private bool _everConnected;
    private TimeSpan _lastCpu;
    private long _lastCpuAt = Stopwatch.GetTimestamp();
    private double _load;

    public CameraAssigner(IOptions<ClusterOptions> options, ClusterDatabase database, PostgresCameraStore store, CameraCatalog catalog,
        ClusterState state, ClusterEventIdGenerator ids, IConfiguration configuration, ILogger<CameraAssigner> logger)
    {
        _options = options.Value;
        _database = database;
        _store = store;
        _catalog = catalog;
        _state = state;
        _ids = ids;
        _logger = logger;
        _address = _options.Address ?? (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        _appName = "router-node:" + _options.NodeName;
    }

    private NpgsqlConnection? _connection;

    /// <summary>Creates the tables and takes this node's name and slot before the host answers: a node that cannot reach PostgreSQL at start fails clearly.</summary>
    public override async Task StartAsync(CancellationToken ct)
    {
        await ClusterSchema.CreateAsync(_database.Source, ct).ConfigureAwait(false);
        _connection = await ConnectAsync(ct).ConfigureAwait(false);
        _logger.LogInformation("cluster: node {Node} joined (event id slot {Slot}, address {Address})", _options.NodeName, _ids.Slot, _address);
        await base.StartAsync(ct).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var watchdog = Task.Run(() => WatchdogAsync(ct), CancellationToken.None);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var connection = _connection ??= await ConnectAsync(ct).ConfigureAwait(false);
                    // Only a reconnection settles: at the first start nothing runs here to lock again.
                    var settleUntil = _everConnected ? Stopwatch.GetTimestamp() : 0L;
                    _everConnected = true;
                    await RelockRunningAsync(connection, ct).ConfigureAwait(false);
                    if (_outage)
                    {
                        _outage = false;
                        _logger.LogWarning("cluster: PostgreSQL reached again; {Count} cameras kept streaming through the outage", _held.Count);
                    }
                    while (!ct.IsCancellationRequested)
                    {
                        var settling = settleUntil != 0 && Stopwatch.GetElapsedTime(settleUntil) < _options.SettleTime;
                        await TickAsync(connection, settling, ct).ConfigureAwait(false);
                        Volatile.Write(ref _lastOk, Stopwatch.GetTimestamp());
                        // Reading the socket while waiting: a terminated session or a closed connection throws here at once.
                        // Not cancelled by the stop (that could break the connection the hand-overs on leaving need): a tick at most.
                        await connection.WaitAsync(_options.TickInterval, CancellationToken.None).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // The locks went with the connection (or will, when the server notices): cameras keep streaming
                    // until the watchdog's bound, and are locked again first on reconnection.
                    _held.Clear();
                    _pending.Clear();
                    _state.Disconnected();
                    if (!_outage)
                    {
                        _outage = true;
                        _logger.LogWarning("cluster: lost PostgreSQL ({Error}); retrying every {Interval} s, cameras stop in {Fence} s unless it is back",
                            e.Message, _options.TickInterval.TotalSeconds, _options.FenceAfter.TotalSeconds);
                    }
                    await CloseAsync().ConfigureAwait(false);
                    try { await Task.Delay(_options.TickInterval, ct).ConfigureAwait(false); } catch (OperationCanceledException) { }
                }
                catch (OperationCanceledException) { }
            }
        }
        finally
        {
            // Leaving: stop what runs here and hand each camera over (the next holder starts it without the grace),
            // then close the connection, which frees its locks for the others at once.
            if (_connection is { } connection)
            {
                try
                {
                    foreach (var id in _held.ToList()) await HandOffAsync(connection, id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    _logger.LogWarning("cluster: could not hand the cameras over on leaving ({Error}); the others take them after the grace", e.Message);
                }
            }
            foreach (var id in _catalog.RunningHere()) await _catalog.StopHereAsync(id).ConfigureAwait(false);
            await CloseAsync().ConfigureAwait(false);
            await watchdog.ConfigureAwait(false);
        }
    }

    private async Task CloseAsync()
    {
        if (_connection is null) return;
        try { await _connection.DisposeAsync().ConfigureAwait(false); } catch (Exception) { /* broken already */ }
        _connection = null;
    }

    private async Task WatchdogAsync(CancellationToken ct)
    {
        var fenced = false;
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(100, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            var late = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastOk)) > _options.FenceAfter;
            if (!late) { fenced = false; continue; }
            var running = _catalog.RunningHere();
            if (running.Count == 0) continue;
            if (!fenced)
                _logger.LogWarning("cluster: no successful heartbeat for {Fence} s: stopping the {Count} cameras of this node before another node may take them",
                    _options.FenceAfter.TotalSeconds, running.Count);
            fenced = true;
            await Task.WhenAll(running.Select(_catalog.StopHereAsync)).ConfigureAwait(false);
        }
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString)
        {
            ApplicationName = _appName,
            Pooling = false,           // its own socket: closing it must end the session (and free the locks)
            Timeout = 3,
            CommandTimeout = Math.Max(2, (int)Math.Ceiling(_options.FenceAfter.TotalSeconds / 2)),
            TcpKeepAlive = true,
            TcpKeepAliveTime = _options.KeepAliveSeconds,
            TcpKeepAliveInterval = 1,
        };
        var c = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await c.OpenAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(c, $"""
                SET tcp_keepalives_idle = {_options.KeepAliveSeconds};
                SET tcp_keepalives_interval = 1;
                SET tcp_keepalives_count = 2;
                SET tcp_user_timeout = {(_options.KeepAliveSeconds + 2) * 1000};
                LISTEN {ClusterSchema.CamerasChannel};
                """, ct).ConfigureAwait(false);
            await using (var lockName = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key);", c))
            {
                lockName.Parameters.AddWithValue("key", AdvisoryKeys.Node(_options.NodeName));
                if (!(bool)(await lockName.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
                    throw new InvalidOperationException($"another process holds the node name '{_options.NodeName}' (Cluster:NodeName must be unique), or this node's previous session is not gone yet");
            }
            _ids.UseSlot(await RegisterAsync(c, ct).ConfigureAwait(false));
            return c;
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The node's row (created with the lowest free slot on first join; a slot belongs to a name).</summary>
    private async Task<int> RegisterAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(4242011);", c, tx)) await serialize.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO nodes (name, slot, address, version, started_at, last_heartbeat)
            VALUES (@name, COALESCE((SELECT slot FROM nodes WHERE name = @name),
                                    (SELECT min(s) FROM generate_series(0, {ClusterSchema.Slots - 1}) s WHERE s NOT IN (SELECT slot FROM nodes))),
                    @address, @version, @started, now())
            ON CONFLICT (name) DO UPDATE SET address = excluded.address, version = excluded.version,
                started_at = excluded.started_at, last_heartbeat = now()
            RETURNING slot;
            """, c, tx);
        cmd.Parameters.AddWithValue("name", _options.NodeName);
        cmd.Parameters.AddWithValue("address", _address);
        cmd.Parameters.AddWithValue("version", Version);
        cmd.Parameters.AddWithValue("started", _startedAt);
        object? slot;
        try { slot = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NotNullViolation)
        {
            throw new InvalidOperationException($"the nodes table holds {ClusterSchema.Slots} node names already: delete the rows of names no longer used");
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (int)slot!;
    }

    /// <summary>After a reconnection: lock again every camera that kept streaming here; one another node took meanwhile stops at once.</summary>
    private async Task RelockRunningAsync(NpgsqlConnection c, CancellationToken ct)
    {
        foreach (var id in _catalog.RunningHere())
        {
            if (await TryLockAsync(c, id, ct).ConfigureAwait(false)) _held.Add(id);
            else
            {
                _logger.LogWarning("cluster: camera {CamId} was taken by another node while PostgreSQL was out of reach: stopped here", id);
                await _catalog.StopHereAsync(id).ConfigureAwait(false);
            }
        }
    }

    private async Task TickAsync(NpgsqlConnection c, bool settling, CancellationToken ct)
    {
        await _store.RefreshAsync(c, ct).ConfigureAwait(false);
        MeasureLoad();
        await using (var beat = new NpgsqlCommand("UPDATE nodes SET last_heartbeat = now(), address = @address, cameras = @cameras, load = @load WHERE name = @name;", c))
        {
            beat.Parameters.AddWithValue("address", _address);
            beat.Parameters.AddWithValue("cameras", _catalog.RunningHere().Count);
            beat.Parameters.AddWithValue("load", _load);
            beat.Parameters.AddWithValue("name", _options.NodeName);
            await beat.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var runnable = _catalog.Runnable().Select(r => r.Id).ToList();
        var byKey = runnable.ToDictionary(AdvisoryKeys.Camera);
        var (nodes, owners) = await ReadClusterAsync(c, byKey, ct).ConfigureAwait(false);
        var live = nodes.Where(n => n.Live).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        live.Add(_options.NodeName);

        // Deleted or disabled: stop and unlock.
        foreach (var id in _held.Where(id => !byKey.ContainsValue(id)).ToList())
        {
            await _catalog.StopHereAsync(id).ConfigureAwait(false);
            await UnlockAsync(c, id, ct).ConfigureAwait(false);
        }
        var share = runnable.Count == 0 ? 0 : (runnable.Count + live.Count - 1) / live.Count;
        var counts = live.ToDictionary(n => n, n => owners.Values.Count(o => o == n), StringComparer.Ordinal);
        counts[_options.NodeName] = _held.Count;
        if (!settling)
        {
            if (_held.Count < share)
            {
                // Free cameras in an order of this node's own, so that nodes ticking together try different ones first.
                var free = runnable.Where(id => !owners.ContainsKey(id))
                    .OrderBy(id => AdvisoryKeys.Camera(_options.NodeName + "/" + id)).ToList();
                foreach (var id in free)
                {
                    if (_held.Count >= share) break;
                    if (!await TryLockAsync(c, id, ct).ConfigureAwait(false)) continue;
                    _held.Add(id);
                    owners[id] = _options.NodeName;
                    if (await TakeHandOffAsync(c, id, ct).ConfigureAwait(false) is { } from)
                    {
                        _logger.LogInformation("cluster: took camera {CamId}, handed over by {From}; it starts now (share {Share} of {Cameras} cameras over {Nodes} nodes)",
                            id, from, share, runnable.Count, live.Count);
                        continue;
                    }
                    _pending[id] = Stopwatch.GetTimestamp();
                    _logger.LogInformation("cluster: took camera {CamId}; it starts in {Grace} s (share {Share} of {Cameras} cameras over {Nodes} nodes)",
                        id, _options.TakeoverGrace.TotalSeconds, share, runnable.Count, live.Count);
                }
            }
            else
            {
                var others = counts.Where(kv => kv.Key != _options.NodeName).Select(kv => kv.Value).ToList();
                var someoneBelow = others.Any(n => n < share);
                var unbalanced = _held.Count > share || others.Any(n => n <= _held.Count - 2);
                if (someoneBelow && unbalanced)
                {
                    var give = _pending.Keys.Order(StringComparer.Ordinal).LastOrDefault() ?? _held.Order(StringComparer.Ordinal).Last();
                    await HandOffAsync(c, give, ct).ConfigureAwait(false);
                    owners.Remove(give);
                    _logger.LogInformation("cluster: gave camera {CamId} away ({Held} held, share {Share})", give, _held.Count + 1, share);
                }
            }
        }

        // Start what was taken TakeoverGrace ago; keep what runs in step with its stored record.
        foreach (var id in _held.ToList())
        {
            if (_pending.TryGetValue(id, out var since))
            {
                if (Stopwatch.GetElapsedTime(since) < _options.TakeoverGrace) continue;
                _pending.Remove(id);
            }
            await _catalog.RunHereAsync(id, ct).ConfigureAwait(false);
        }

        _state.Publish(new ClusterView
        {
            Node = _options.NodeName,
            Connected = true,
            AsOf = DateTimeOffset.UtcNow,
            Nodes = nodes.Select(n => n with { Cameras = owners.Values.Count(o => o == n.Name) }).ToList(),
            Cameras = runnable.Select(id => new ClusterCameraView(id, owners.GetValueOrDefault(id))).ToList(),
        });
    }

    private void MeasureLoad()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.GetElapsedTime(_lastCpuAt);
        if (wall > TimeSpan.Zero && _lastCpu > TimeSpan.Zero)
            _load = Math.Round((cpu - _lastCpu).TotalSeconds / wall.TotalSeconds / Environment.ProcessorCount, 3);
        _lastCpu = cpu;
        _lastCpuAt = Stopwatch.GetTimestamp();
    }

    /// <summary>Every node (its row, and whether its lock connection is up) and the owner of every locked camera, from the server's own tables.</summary>
    private static async Task<(List<ClusterNodeView> Nodes, Dictionary<string, string> Owners)> ReadClusterAsync(
        NpgsqlConnection c, Dictionary<long, string> cameras, CancellationToken ct)
    {
        var nodes = new List<ClusterNodeView>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT n.name, n.slot, n.address, n.version, n.started_at, n.last_heartbeat, n.cameras, n.load,
                   EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = current_database() AND a.application_name = 'router-node:' || n.name)
            FROM nodes n ORDER BY n.name;
            """, c))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                nodes.Add(new ClusterNodeView
                {
                    Name = r.GetString(0),
                    Slot = r.GetInt32(1),
                    Address = r.IsDBNull(2) ? null : r.GetString(2),
                    Version = r.IsDBNull(3) ? null : r.GetString(3),
                    StartedAt = r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
                    LastHeartbeat = r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
                    Streaming = r.GetInt32(6),
                    Load = r.GetDouble(7),
                    Live = r.GetBoolean(8),
                });
        }
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("""
            SELECT substr(a.application_name, 13), l.classid::bigint, l.objid::bigint
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND a.application_name LIKE 'router-node:%';
            """, c))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var key = AdvisoryKeys.FromPgLocks((uint)r.GetInt64(1), (uint)r.GetInt64(2));
                if (cameras.TryGetValue(key, out var camId)) owners[camId] = r.GetString(0);
            }
        }
        return (nodes, owners);
    }

    /// <summary>
    /// Gives a camera away: stop it here first, then record the hand-over and unlock, in that order on the lock
    /// connection. The next holder that finds the record (and deletes it, in the same statement) knows the camera is
    /// stopped and starts it at once; without a record (the holder died, or someone took it since) it waits the grace.
    /// </summary>
    private async Task HandOffAsync(NpgsqlConnection c, string camId, CancellationToken ct)
    {
        if (_pending.ContainsKey(camId))
        {
            // Not started here, and maybe taken from a node that died: its grace is not over, so no record (the next
            // holder waits a full grace from its own lock, later than this node's).
            await UnlockAsync(c, camId, ct).ConfigureAwait(false);
            return;
        }
        await _catalog.StopHereAsync(camId).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO camera_handoffs (id, node, at) VALUES (@id, @node, now())
            ON CONFLICT (id) DO UPDATE SET node = excluded.node, at = excluded.at;
            """, c))
        {
            cmd.Parameters.AddWithValue("id", camId);
            cmd.Parameters.AddWithValue("node", _options.NodeName);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await UnlockAsync(c, camId, ct).ConfigureAwait(false);
    }

    /// <summary>Consumes the hand-over record of a camera whose lock this node just took: the node that stopped it, or null.</summary>
    private static async Task<string?> TakeHandOffAsync(NpgsqlConnection c, string camId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM camera_handoffs WHERE id = @id RETURNING node;", c);
        cmd.Parameters.AddWithValue("id", camId);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection c, string camId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key);", c);
        cmd.Parameters.AddWithValue("key", AdvisoryKeys.Camera(camId));
        return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private async Task UnlockAsync(NpgsqlConnection c, string camId, CancellationToken ct)
    {
        _held.Remove(camId);
        _pending.Remove(camId);
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(@key);", c);
        cmd.Parameters.AddWithValue("key", AdvisoryKeys.Camera(camId));
        await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
