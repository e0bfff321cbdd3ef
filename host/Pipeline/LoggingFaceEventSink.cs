using Microsoft.Extensions.Logging;

namespace Router.Host.Pipeline;

/// <summary>The default sink until a router is registered: logs each event in one line.</summary>
public sealed class LoggingFaceEventSink(ILogger<LoggingFaceEventSink> logger) : IFaceEventSink
{
    public ValueTask PublishAsync(FaceEvent e, CancellationToken ct)
    {
        var r = e.Request;
        logger.LogInformation("face event {EventId}: cam {CamId} track {TrackId} {BsType} frame {Frame} bbox {BBox} quality {Quality:F3}",
            e.EventId, r.CamId, e.TrackId, r.BsType, r.DetectorParams.Frame, r.BBox, r.DetectorParams.Quality);
        return ValueTask.CompletedTask;
    }
}
