using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Router.Host.Ingest;
using Router.Models.Faces;

namespace Router.Host.Pipeline;

/// <summary>
/// Runs the whole camera pipeline over a video file once, as fast as possible and
/// deterministically: every decimated frame is processed (no drops: ffmpeg waits for the
/// detector), timestamps are stream time, event ids count from 1. The same file and settings
/// give the same events.
/// </summary>
public static class VideoReplay
{
    /// <summary>The replay variant of <paramref name="settings"/>: single pass, no drops, stream time, full speed.</summary>
    public static CameraSettings ReplaySettings(CameraSettings settings) => settings with
    {
        SinglePass = true,
        DisableDrops = true,
        UseStreamTimestamp = true,
        PlaySpeed = -1,
    };

    public static async Task<ReplayResult> RunAsync(string video, string camId, CameraSettings settings, IFaceAnalyzer analyzer, IFaceEventSink sink, ILogger logger, CancellationToken ct)
    {
        if (!File.Exists(video) && !video.Contains("://", StringComparison.Ordinal))
            throw new Router.Abstractions.RouterException(Router.Abstractions.ErrorCodes.NotFound, $"video {video} does not exist", "video", video);
        var camera = new CameraDefinition { Id = camId, Url = video, Settings = ReplaySettings(settings).Validated() };
        var pipeline = new CameraPipeline(camera, analyzer, sink, new SequentialEventIdGenerator(), logger);
        var watch = Stopwatch.StartNew();
        await pipeline.RunAsync(ct);
        watch.Stop();
        var stats = pipeline.Statistics.Snapshot();
        if (stats.FramesProcessed == 0 && stats.LastError != null)
            throw new Router.Abstractions.RouterException(Router.Abstractions.ErrorCodes.MalformedRequest, $"cannot read {video}: {stats.LastError}", "video", video);
        return new ReplayResult(stats.FramesProcessed, pipeline.TracksStarted, stats.FacesPosted, watch.Elapsed, stats);
    }
}
