namespace Router.Host.Ingest;

/// <summary>A camera the host pulls: its id (cam_id on every event), stream URL (rtsp://, http://, a file path) and settings.</summary>
public sealed record CameraDefinition
{
    public required string Id { get; init; }
    public required string Url { get; init; }
    public CameraSettings Settings { get; init; } = CameraSettings.Default;
}
