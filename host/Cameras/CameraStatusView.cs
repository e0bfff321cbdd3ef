using System.Text.Json.Serialization;

namespace Router.Host.Cameras;

/// <summary>Where a camera is: idle, starting, streaming, restarting, finished, stopped, or disabled (not running by choice).</summary>
public sealed record CameraStatusView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("last_error")] string? LastError);
