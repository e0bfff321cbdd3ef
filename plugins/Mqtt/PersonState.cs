using System.Text.Json.Serialization;

namespace Router.Plugins.Mqtt;

/// <summary>
/// The retained body of <c>{prefix}/people/{name}</c>: where and when a watched person was last
/// matched. Retained, so that a Home Assistant restart (or any late subscriber) reads the last
/// sighting at once; the discovery sensor takes <c>camera</c> as its state and the rest as attributes.
/// </summary>
public sealed record PersonState
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("camera")] public required string Camera { get; init; }
    /// <summary>The frame's time, ISO 8601 UTC.</summary>
    [JsonPropertyName("last_seen")] public required string LastSeen { get; init; }
    /// <summary>Percent on the compatible APIs' scale, as in the match payload.</summary>
    [JsonPropertyName("confidence")] public double Confidence { get; init; }
    [JsonPropertyName("similarity")] public double Similarity { get; init; }
    [JsonPropertyName("far")] public double Far { get; init; }
    [JsonPropertyName("gallery")] public required string Gallery { get; init; }
    [JsonPropertyName("event_id")] public required string EventId { get; init; }
}
