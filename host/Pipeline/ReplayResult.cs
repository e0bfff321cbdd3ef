using Router.Host.Ingest;

namespace Router.Host.Pipeline;

/// <summary>What a replay went through: frames (after decimation), tracks, events, and the speed.</summary>
public sealed record ReplayResult(long Frames, long Tracks, long Events, TimeSpan Elapsed, CameraStatisticsSnapshot Statistics)
{
    public double Fps => Elapsed.TotalSeconds > 0 ? Frames / Elapsed.TotalSeconds : 0;
}
