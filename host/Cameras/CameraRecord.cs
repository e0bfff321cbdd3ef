using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Router.Host.Cameras;

/// <summary>
/// A camera added over the API, as persisted (a video-manager "job"): its stream, labels,
/// whether it runs, and the settings it overrides (FindFace names; the rest keep their defaults).
/// </summary>
public sealed record CameraRecord
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("stream_url")] public required string StreamUrl { get; init; }
    [JsonPropertyName("labels")] public Dictionary<string, string> Labels { get; init; } = new();
    [JsonPropertyName("enabled")] public bool Enabled { get; init; } = true;
    [JsonPropertyName("settings")] public JsonObject Settings { get; init; } = new();
    [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public DateTimeOffset UpdatedAt { get; init; }
}
