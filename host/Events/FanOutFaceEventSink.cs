using Router.Host.Pipeline;

namespace Router.Host.Events;

/// <summary>Hands each face event to several sinks in turn (replay: the JSON lines and the router).</summary>
public sealed class FanOutFaceEventSink(params IFaceEventSink[] sinks) : IFaceEventSink
{
    public async ValueTask PublishAsync(FaceEvent faceEvent, CancellationToken ct)
    {
        foreach (var sink in sinks) await sink.PublishAsync(faceEvent, ct).ConfigureAwait(false);
    }
}
