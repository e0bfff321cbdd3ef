using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Router.Host.Ingest;

namespace Router.Host.Cameras;

/// <summary>A camera as the API shows it: its definition, where it comes from, its status and statistics.</summary>
public sealed record CameraView
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("stream_url")] public required string StreamUrl { get; init; }
    [JsonPropertyName("labels")] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("enabled")] public bool Enabled { get; init; }
    /// <summary>"api" (managed over the API, persisted) or "config" (from the Cameras section, read-only here).</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }
    /// <summary>The overrides given over the API; for a configured camera, its settings from configuration.</summary>
    [JsonPropertyName("settings")] public JsonNode? Settings { get; init; }
    [JsonPropertyName("status")] public required CameraStatusView Status { get; init; }
    [JsonPropertyName("statistics")] public CameraStatisticsSnapshot? Statistics { get; init; }
    /// <summary>What ffprobe found at the source when the camera was added, changed or started (<see cref="CameraProber"/>).</summary>
    [JsonPropertyName("probe")] public CameraProbe? Probe { get; init; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>In a cluster, the node that runs the camera (null: none now, or single-box mode).</summary>
    [JsonPropertyName("node")] public string? Node { get; init; }
}
