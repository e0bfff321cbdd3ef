using System.Diagnostics.Metrics;
using Router.Host.Ingest;
using Router.Host.Telemetry;

namespace Router.Host.Pipeline;

/// <summary>
/// Every running camera's statistics as instruments tagged <c>camera</c>, observed from the same
/// <see cref="CameraStatistics"/> the API's JSON shows, so the two never disagree and the
/// pipeline's loops pay nothing more per frame.
/// </summary>
internal sealed class CameraMetrics : IMetricSource
{
    private readonly CameraManager _cameras;

    public CameraMetrics(IMeterFactory meters, CameraManager cameras)
    {
        _cameras = cameras;
        var meter = RouterMeter.Create(meters);
        meter.CreateObservableCounter("router.camera.job_starts", () => Observe(s => s.JobStarts), "{start}", "ffmpeg starts of the camera (1 + restarts)");
        meter.CreateObservableCounter("router.camera.frames.decoded", () => Observe(s => s.FramesDecoded), "{frame}", "Frames read from ffmpeg after decimation to detect_fps");
        meter.CreateObservableCounter("router.camera.frames.processed", () => Observe(s => s.FramesProcessed), "{frame}", "Frames through detection, tracking and best shot");
        meter.CreateObservableCounter("router.camera.frames.dropped", () => Observe(s => s.FramesDropped), "{frame}", "Frames thrown away because the detector fell behind");
        meter.CreateObservableCounter("router.camera.faces.posted", () => Observe(s => s.FacesPosted), "{face}", "Faces posted to the router");
        meter.CreateObservableCounter("router.camera.faces.failed", () => Observe(s => s.FacesFailed), "{face}", "Faces the router refused or failed to take");
        meter.CreateObservableCounter("router.camera.faces.not_posted", NotPosted, "{track}", "Tracks that ended without a postable face, by reason");
        meter.CreateObservableCounter("router.camera.decoding_soft_errors", () => Observe(s => s.DecodingSoftErrors), "{error}", "Decoder complaints that did not stop the stream");
        meter.CreateObservableGauge("router.camera.processing_fps", () => Observe(s => s.ProcessingFps), "{frame}/s", "Frames processed per second over the last window");
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<CameraStatisticsSnapshot, T> value) where T : struct =>
        _cameras.Status().Select(kv => new Measurement<T>(value(kv.Value), Camera(kv.Key)));

    private IEnumerable<Measurement<long>> NotPosted()
    {
        foreach (var (camera, s) in _cameras.Status())
        {
            var r = s.FacesNotPostedByReason;
            yield return new Measurement<long>(r.TooSmall, Camera(camera), Reason("too_small"));
            yield return new Measurement<long>(r.TooLarge, Camera(camera), Reason("too_large"));
            yield return new Measurement<long>(r.OutsideRoi, Camera(camera), Reason("outside_roi"));
            yield return new Measurement<long>(r.LowQuality, Camera(camera), Reason("low_quality"));
            yield return new Measurement<long>(r.Other, Camera(camera), Reason("other"));
        }
    }

    private static KeyValuePair<string, object?> Camera(string id) => new("camera", id);
    private static KeyValuePair<string, object?> Reason(string reason) => new("reason", reason);
}
