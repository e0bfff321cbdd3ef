using System.Text.Json.Serialization;
using Router.Abstractions;

namespace Router.Host.Events;

/// <summary>
/// A face event after routing, as kept in the event feed and served by the events API:
/// where and when the face was seen, the detector's figures, and what each plugin did.
/// </summary>
public sealed record RoutedEvent
{
    /// <summary>Decimal string: 64-bit ids do not survive JavaScript numbers.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonIgnore] public ulong EventId { get; init; }
    [JsonPropertyName("cam_id")] public required string CamId { get; init; }
    /// <summary>In a cluster, the node that ran the camera and routed the event.</summary>
    [JsonPropertyName("node")] public string? Node { get; init; }
    [JsonPropertyName("track_id")] public long TrackId { get; init; }
    [JsonPropertyName("bs_type")] public string BsType { get; init; } = "";
    [JsonPropertyName("timestamp")] public DateTimeOffset Timestamp { get; init; }
    [JsonPropertyName("frame")] public long Frame { get; init; }
    [JsonPropertyName("bbox")] public required BBox BBox { get; init; }
    [JsonPropertyName("detection_score")] public double DetectionScore { get; init; }
    [JsonPropertyName("quality")] public double Quality { get; init; }
    [JsonPropertyName("labels")] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>The union of features the plugins asked for; on the wire an array of names (["facen","detection"]).</summary>
    [JsonPropertyName("features"), JsonConverter(typeof(FaceFeaturesJsonConverter))] public FaceFeatures Features { get; init; }
    /// <summary>The detection cache id of the face's embedding when a plugin asked for it: usable as <c>detection:ID</c>
    /// (search, enroll, "this is not X") while the cache keeps it.</summary>
    [JsonPropertyName("detection_id")] public string? DetectionId { get; init; }
    [JsonPropertyName("plugins")] public IReadOnlyList<PluginOutcome> Plugins { get; init; } = [];
    /// <summary>Why routing failed as a whole (extraction error, router stopping); null when it ran.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>When the host finished routing it.</summary>
    [JsonPropertyName("routed_at")] public DateTimeOffset RoutedAt { get; init; }
    /// <summary>The normalized face crop (JPEG), served by GET /v1/events/{id}/face while the event is in the ring.</summary>
    [JsonIgnore] public ReadOnlyMemory<byte> Face0 { get; init; }
}
