using Router.Host.Ingest;

namespace Router.Host.Pipeline;

/// <summary>
/// The "Cameras" configuration section: camera id → { url, settings }. Settings use the
/// FindFace names (detect_fps, bs_type, ...), e.g.
/// <c>"Cameras": { "door": { "Url": "rtsp://10.0.0.5/main", "Settings": { "detect_fps": 5 } } }</c>.
/// </summary>
public sealed class CamerasOptions
{
    public const string Section = "Cameras";

    public Dictionary<string, CameraEntry> Cameras { get; set; } = new();

    public sealed class CameraEntry
    {
        public string Url { get; set; } = "";
        public CameraSettings Settings { get; set; } = new();
    }

    public IEnumerable<CameraDefinition> Definitions() =>
        Cameras.Select(kv => new CameraDefinition { Id = kv.Key, Url = kv.Value.Url, Settings = kv.Value.Settings });
}
