namespace Router.Host.Ingest;

/// <summary>
/// The "CameraSources" configuration section: where a camera may read local files from. Only
/// files under these folders can be a camera's stream URL, so that an API caller cannot make
/// ffmpeg open any file the process can read. Empty = the data folder (where the demo clip
/// lives); `router run` also adds the demo clip's folder when it lies elsewhere.
/// </summary>
public sealed class CameraSourceOptions
{
    public const string Section = "CameraSources";

    public List<string> FileDirectories { get; set; } = [];
}
