using Router.Models.Faces;

namespace Router.Host.Pipeline;

/// <summary>
/// Creates the real face analyzer for the CLI commands that run the pipeline outside a DI
/// host (replay, bench): one instance, models loaded lazily, one ORT thread a call (cameras
/// run in parallel instead).
/// </summary>
public static class FaceAnalyzerLoader
{
    public static IFaceAnalyzer Create() => new FaceAnalyzer();
}
