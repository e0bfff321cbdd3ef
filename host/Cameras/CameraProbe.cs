using System.Text.Json.Serialization;

namespace Router.Host.Cameras;

/// <summary>
/// What ffprobe found at a camera's source when it was added, changed or started: the video's codec,
/// size and frame rate, or why there is none (unreachable, not a video). Shown in the camera's view.
/// </summary>
public sealed record CameraProbe
{
    [JsonPropertyName("codec")] public string? Codec { get; init; }
    [JsonPropertyName("width")] public int? Width { get; init; }
    [JsonPropertyName("height")] public int? Height { get; init; }
    [JsonPropertyName("fps")] public double? Fps { get; init; }
    /// <summary>Why the probe found no video; null when it did.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("probed_at")] public DateTimeOffset ProbedAt { get; init; }
}
