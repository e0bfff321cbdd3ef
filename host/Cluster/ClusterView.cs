using System.Text.Json.Serialization;

namespace Router.Host.Cluster;

/// <summary>GET /v1/cluster: the nodes of the deployment and which node runs each stored camera, as of this node's last tick.</summary>
public sealed record ClusterView
{
    /// <summary>The node that answers.</summary>
    [JsonPropertyName("node")] public required string Node { get; init; }
    /// <summary>Whether this node reaches PostgreSQL now (false: the figures are those of its last tick).</summary>
    [JsonPropertyName("connected")] public bool Connected { get; init; }
    [JsonPropertyName("as_of")] public DateTimeOffset? AsOf { get; init; }
    [JsonPropertyName("nodes")] public IReadOnlyList<ClusterNodeView> Nodes { get; init; } = [];
    [JsonPropertyName("cameras")] public IReadOnlyList<ClusterCameraView> Cameras { get; init; } = [];
    /// <summary>The Redis event fan-out of this node; absent when no Redis is configured (each node shows its own events).</summary>
    [JsonPropertyName("events")] public EventFanOutStatus? Events { get; init; }
}

/// <summary>One node as the <c>nodes</c> table and the server's sessions show it.</summary>
public sealed record ClusterNodeView
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("address")] public string? Address { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("last_heartbeat")] public DateTimeOffset? LastHeartbeat { get; init; }
    /// <summary>True while the node holds its lock connection to PostgreSQL (what assignment counts).</summary>
    [JsonPropertyName("live")] public bool Live { get; init; }
    /// <summary>Cameras whose lock the node holds (PostgreSQL's pg_locks).</summary>
    [JsonPropertyName("cameras")] public int Cameras { get; init; }
    /// <summary>The cameras it streams, at its last heartbeat.</summary>
    [JsonPropertyName("streaming")] public int Streaming { get; init; }
    /// <summary>The node process's CPU use over its last tick, in cores divided by the machine's cores (0..1).</summary>
    [JsonPropertyName("load")] public double Load { get; init; }
    /// <summary>Its event id slot (bits 12..21 of every event id it makes).</summary>
    [JsonPropertyName("slot")] public int Slot { get; init; }
}

/// <summary>A stored, enabled camera and the node holding its lock (null: none now, it is being taken over).</summary>
public sealed record ClusterCameraView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("node")] string? Node);
