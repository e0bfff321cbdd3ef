using System.Text.Json.Serialization;

namespace Router.Host.Cameras;

/// <summary>
/// Where a camera is: idle, starting, streaming, restarting, finished, stopped, disabled (not running
/// by choice), or invalid (stored settings or source refused at start-up; <see cref="Code"/> says why).
/// </summary>
public sealed record CameraStatusView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("error_code")] string? Code = null);
