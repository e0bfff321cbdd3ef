using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Router.Host.Cameras;

/// <summary>The body of PUT /v1/cameras/{id}; an unknown member is an error (a misspelt setting must not be ignored).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CameraPut
{
    [JsonPropertyName("stream_url")] public string? StreamUrl { get; init; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; init; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
    [JsonPropertyName("settings")] public JsonObject? Settings { get; init; }
}
