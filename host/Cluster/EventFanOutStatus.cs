using System.Text.Json.Serialization;

namespace Router.Host.Cluster;

/// <summary>The Redis event fan-out of this node, in GET /v1/cluster.</summary>
public sealed record EventFanOutStatus
{
    [JsonPropertyName("stream")] public required string Stream { get; init; }
    [JsonPropertyName("connected")] public bool Connected { get; init; }
    /// <summary>Events of this node appended to the stream.</summary>
    [JsonPropertyName("published")] public long Published { get; init; }
    /// <summary>Events of other nodes read from the stream into this node's feed.</summary>
    [JsonPropertyName("received")] public long Received { get; init; }
    /// <summary>Events of this node never appended (the queue overflowed while Redis was out of reach).</summary>
    [JsonPropertyName("dropped")] public long Dropped { get; init; }
    /// <summary>Times Redis went out of reach (each logged once).</summary>
    [JsonPropertyName("outages")] public long Outages { get; init; }
}
