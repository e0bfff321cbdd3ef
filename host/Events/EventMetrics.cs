using System.Diagnostics.Metrics;
using Router.Host.Routing;
using Router.Host.Telemetry;

namespace Router.Host.Events;

/// <summary>
/// The event path's counters as instruments, observed from the counters the API shows: events
/// accepted, routed, failed and refused, the queue between cameras and workers, and the faces
/// the router dropped because no plugin wanted them or their features could not be extracted.
/// </summary>
internal sealed class EventMetrics : IMetricSource
{
    public EventMetrics(IMeterFactory meters, FaceEventRouter events, FaceRouter router)
    {
        var meter = RouterMeter.Create(meters);
        var c = events.Counters;
        meter.CreateObservableCounter("router.events.accepted", () => c.Accepted, "{event}", "Face events taken onto the routing queue");
        meter.CreateObservableCounter("router.events.routed", () => c.Routed, "{event}", "Face events routed to the plugins");
        meter.CreateObservableCounter("router.events.failed", () => c.Failed, "{event}", "Face events whose routing threw (published with their error)");
        meter.CreateObservableCounter("router.events.refused", () => c.Refused, "{event}", "Face events refused while the host was stopping");
        meter.CreateObservableCounter("router.events.frames_not_kept", () => c.FramesNotKept, "{event}",
            "Face events routed from their JPEG photo because Events:MaxQueuedFrames decoded frames were queued already");
        meter.CreateObservableGauge("router.events.queue_depth", () => Math.Max(0, events.QueueDepth), "{event}", "Face events waiting for a routing worker");
        meter.CreateObservableCounter("router.faces.unwanted", () => router.Counters.Unwanted, "{face}", "Faces no plugin asked for");
        meter.CreateObservableCounter("router.faces.extraction_errors", () => router.Counters.ExtractionErrors, "{face}", "Faces whose features could not be extracted");
    }
}
