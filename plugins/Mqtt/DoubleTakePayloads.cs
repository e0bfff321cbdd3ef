using System.Text.Json.Serialization;

namespace Router.Plugins.Mqtt;

// Double Take's MQTT payloads, field for field, so that Home Assistant automations written for
// Double Take read Router's messages unchanged. Names are explicit: Double Take mixes styles
// (personCount), and a serializer policy must not rename them.

/// <summary>Where the face is in the frame, as Double Take gives it: pixels of the upright frame.</summary>
public sealed record DoubleTakeBox(
    [property: JsonPropertyName("top")] int Top,
    [property: JsonPropertyName("left")] int Left,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height);

/// <summary>
/// One face's result (Double Take's <c>match</c> object). <c>confidence</c> is in percent on the compatible
/// APIs' scale (CompreFace's similarity × 100, 60 at Router's identification threshold, as Double Take's
/// default); Router adds the raw cosine <c>similarity</c>, its false match rate <c>far</c>, and where the match came from.
/// </summary>
public sealed record DoubleTakeMatch
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>Null for an unknown face: no one in the watched galleries came close.</summary>
    [JsonPropertyName("confidence")] public double? Confidence { get; init; }
    /// <summary>True for a match (at or over the threshold), false for a miss (a look-alike under it) or an unknown.</summary>
    [JsonPropertyName("match")] public bool Match { get; init; }
    [JsonPropertyName("box")] public required DoubleTakeBox Box { get; init; }
    [JsonPropertyName("detector")] public string Detector { get; init; } = "router";
    [JsonPropertyName("similarity")] public double? Similarity { get; init; }
    [JsonPropertyName("far")] public double? Far { get; init; }
    [JsonPropertyName("gallery")] public string? Gallery { get; init; }
    [JsonPropertyName("face_id")] public long? FaceId { get; init; }
}

/// <summary>
/// The body of <c>{prefix}/matches/{name}</c>: Double Take's recognition summary with the one match.
/// For Router: <c>id</c> is the event id, <c>duration</c> the seconds the gallery search took,
/// <c>timestamp</c> the frame's time (ISO 8601 UTC), <c>attempts</c> always 1 (Router routes one best shot
/// per event, where Double Take tries several snapshots), <c>zones</c> the camera's <c>zone</c>/<c>zones</c> labels.
/// </summary>
public sealed record DoubleTakeEvent
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("duration")] public double Duration { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("attempts")] public int Attempts { get; init; } = 1;
    [JsonPropertyName("camera")] public required string Camera { get; init; }
    [JsonPropertyName("zones")] public IReadOnlyList<string> Zones { get; init; } = [];
    [JsonPropertyName("match")] public required DoubleTakeMatch Match { get; init; }
}

/// <summary>Match, miss and unknown counts: of this event (<c>counts</c>) or since the plugin started (<c>totals</c>).</summary>
public sealed record DoubleTakeCounts(
    [property: JsonPropertyName("match")] long Match,
    [property: JsonPropertyName("miss")] long Miss,
    [property: JsonPropertyName("unknown")] long Unknown);

/// <summary>
/// The body of <c>{prefix}/cameras/{camera}</c>, one per face event: Double Take's camera summary (the
/// event's <c>matches</c>, <c>misses</c>, <c>unknowns</c> and <c>personCount</c>) with the counts of this
/// event and the camera's totals since start.
/// </summary>
public sealed record DoubleTakeCameraEvent
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("duration")] public double Duration { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("attempts")] public int Attempts { get; init; } = 1;
    [JsonPropertyName("camera")] public required string Camera { get; init; }
    [JsonPropertyName("zones")] public IReadOnlyList<string> Zones { get; init; } = [];
    [JsonPropertyName("matches")] public IReadOnlyList<DoubleTakeMatch> Matches { get; init; } = [];
    [JsonPropertyName("misses")] public IReadOnlyList<DoubleTakeMatch> Misses { get; init; } = [];
    [JsonPropertyName("unknowns")] public IReadOnlyList<DoubleTakeMatch> Unknowns { get; init; } = [];
    /// <summary>People in this event: 1 for a match or an unknown, 0 for a miss (Double Take counts misses as no one).</summary>
    [JsonPropertyName("personCount")] public int PersonCount { get; init; }
    [JsonPropertyName("counts")] public required DoubleTakeCounts Counts { get; init; }
    [JsonPropertyName("totals")] public required DoubleTakeCounts Totals { get; init; }
}
