using System.Diagnostics;
using System.Diagnostics.Metrics;
using Router.Host.Telemetry;

namespace Router.Host.Events;

/// <summary>
/// <c>router.events.frame_to_event.duration</c>: from the moment the frame of a posted face came off
/// ffmpeg's pipe to the end of its routing (every plugin done), per camera. What an operator waits
/// for beyond the camera's own delay; events without a frame time (journal, replay) are not counted.
/// </summary>
public sealed class EventLatency
{
    private readonly Histogram<double> _frameToEvent;

    public EventLatency(IMeterFactory meters)
    {
        _frameToEvent = RouterMeter.Create(meters).CreateHistogram("router.events.frame_to_event.duration", "s",
            "From a posted face's frame leaving ffmpeg to its event routed", advice: RouterMeter.SecondsBuckets);
    }

    public void Routed(string camId, long frameReceivedTicks)
    {
        if (frameReceivedTicks == 0) return;
        _frameToEvent.Record(Stopwatch.GetElapsedTime(frameReceivedTicks).TotalSeconds, new KeyValuePair<string, object?>("camera", camId));
    }
}
