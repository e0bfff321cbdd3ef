using System.Text.RegularExpressions;

namespace Router.Host.Cluster;

/// <summary>
/// Configuration of clustering (section "Cluster"): several `router run` nodes over one PostgreSQL
/// (cameras, assignment, heartbeats) share the cameras stored over the API. Off by default: one box.
/// </summary>
/// <remarks>
/// The timings decide the fencing. A node that loses PostgreSQL keeps its cameras at most
/// <see cref="FenceAfter"/> after its last successful heartbeat (so that a PostgreSQL restart does not
/// restart every stream); a node that takes a camera waits <see cref="TakeoverGrace"/> after its lock
/// before it starts the stream. The lock of a holder is free at the earliest when its connection
/// failed, which is after its last successful heartbeat, so TakeoverGrace ≥ FenceAfter + 1 s (the second
/// for the watchdog's period and stopping ffmpeg) means the old holder stopped before the new one starts
/// (the validator enforces it).
/// </remarks>
public sealed partial class ClusterOptions
{
    public const string Section = "Cluster";

    public bool Enabled { get; set; }

    /// <summary>This node's name, unique in the deployment; defaults to the host name.</summary>
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>The URL other nodes and operators reach this node's API at (shown in GET /v1/cluster); defaults to the first of "urls".</summary>
    public string? Address { get; set; }

    /// <summary>Npgsql connection string; defaults to Galleries:PostgresConnectionString when Galleries:Store is "postgres".</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>StackExchange.Redis configuration of the event fan-out; defaults to Galleries:RedisConfiguration. None: each node shows its own events only.</summary>
    public string? RedisConfiguration { get; set; }

    /// <summary>The Redis Stream every node appends its routed events to and reads the others' from.</summary>
    public string EventStream { get; set; } = "router:events";

    /// <summary>Entries the stream keeps (XADD MAXLEN ~): the deployment's event retention in Redis.</summary>
    public int EventStreamMaxLength { get; set; } = 10_000;

    /// <summary>How often a node reads the stream for the other nodes' events.</summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a node heartbeats, reads the assignment and rebalances (also woken by NOTIFY).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest time a node keeps streaming without a successful heartbeat; then it stops every camera (fencing).</summary>
    public TimeSpan FenceAfter { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Delay between taking a camera's lock and starting its stream; at least <see cref="FenceAfter"/> + 1 s.</summary>
    public TimeSpan TakeoverGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After (re)connecting, only the cameras this node still runs are locked again for this long, so that
    /// after a PostgreSQL restart the nodes take back their own cameras before anyone takes free ones.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Server-side TCP keepalive idle time of the lock connection, in seconds: a node whose machine or
    /// network died silently loses its locks after about idle + 2 × 1 s (tcp_user_timeout bounds unacknowledged writes alike).</summary>
    public int KeepAliveSeconds { get; set; } = 3;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")]
    private static partial Regex NamePattern();

    public IEnumerable<string> Validate()
    {
        if (!Enabled) yield break;
        if (!NamePattern().IsMatch(NodeName ?? ""))
            yield return $"Cluster:NodeName '{NodeName}' must be 1..50 letters, digits, '_', '.' or '-', starting with a letter or digit";
        if (string.IsNullOrWhiteSpace(PostgresConnectionString))
            yield return "Cluster:Enabled needs PostgreSQL: set Galleries:Store=postgres with Galleries:PostgresConnectionString, or Cluster:PostgresConnectionString";
        if (TickInterval < TimeSpan.FromMilliseconds(100) || TickInterval > TimeSpan.FromSeconds(30))
            yield return "Cluster:TickInterval must be between 00:00:00.1 and 00:00:30";
        if (FenceAfter < 2 * TickInterval)
            yield return "Cluster:FenceAfter must be at least twice Cluster:TickInterval (a heartbeat may be slow once)";
        if (TakeoverGrace < FenceAfter + TimeSpan.FromSeconds(1))
            yield return "Cluster:TakeoverGrace must be at least Cluster:FenceAfter + 1 s: a node that lost PostgreSQL must have stopped a camera (its watchdog, then ffmpeg) before another starts it";
        if (SettleTime < TimeSpan.Zero)
            yield return "Cluster:SettleTime must not be negative";
        if (string.IsNullOrWhiteSpace(EventStream))
            yield return "Cluster:EventStream must name a Redis key";
        if (EventStreamMaxLength < 100)
            yield return "Cluster:EventStreamMaxLength must be at least 100";
        if (EventPollInterval < TimeSpan.FromMilliseconds(10) || EventPollInterval > TimeSpan.FromSeconds(10))
            yield return "Cluster:EventPollInterval must be between 00:00:00.01 and 00:00:10";
        if (KeepAliveSeconds is < 1 or > 600)
            yield return "Cluster:KeepAliveSeconds must be between 1 and 600";
    }
}
