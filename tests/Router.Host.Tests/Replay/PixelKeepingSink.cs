using Router.Host.Pipeline;

namespace Router.Host.Tests.Replay;

/// <summary>
/// A sink that needs the events' pixels past PublishAsync, as the router does: it keeps a holder of
/// its own for each event (and the event itself, whose lent holder the pipeline disposes) for the
/// test to read and dispose after the replay.
/// </summary>
public sealed class PixelKeepingSink : IFaceEventSink
{
    private readonly List<(FaceEvent Event, BestShotPixels? Kept)> _kept = [];

    public IReadOnlyList<(FaceEvent Event, BestShotPixels? Kept)> Kept { get { lock (_kept) return _kept.ToList(); } }

    public ValueTask PublishAsync(FaceEvent faceEvent, CancellationToken ct)
    {
        var kept = faceEvent.Pixels?.Keep();
        lock (_kept) _kept.Add((faceEvent, kept));
        return ValueTask.CompletedTask;
    }
}
