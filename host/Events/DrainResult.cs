using Router.Host.Pipeline;

namespace Router.Host.Events;

/// <summary>What a drain with a deadline could not route: events never started, and events whose routing was still running when the stop could wait no longer.</summary>
public sealed record DrainResult(IReadOnlyList<FaceEvent> Queued, IReadOnlyList<FaceEvent> InFlight)
{
    public int Count => Queued.Count + InFlight.Count;
}
