using Router.Abstractions;
using Router.Host.Plugins;

namespace Router.Host.Routing;

/// <summary>
/// A face past the first half of routing (<see cref="FaceRouter.PrepareAsync"/>): the plugins
/// have said what they need and it is extracted. It holds a lease on each plugin's generation;
/// <see cref="ProcessAsync"/> hands the face to the interested plugins and gives the leases back.
/// Call it exactly once.
/// </summary>
public sealed class PreparedFace
{
    private readonly FaceRouter _router;
    private readonly IReadOnlyList<(PluginEntry Entry, PluginInstance Instance)> _leases;
    private readonly IReadOnlyList<FaceFeatures> _wants;
    private int _processed;

    internal PreparedFace(FaceRouter router, FaceRequest request, ulong eventId, FaceFeatures requested, DetectFace? detection,
        IReadOnlyList<PluginCallResult> earlyCalls, IReadOnlyList<(PluginEntry Entry, PluginInstance Instance)> leases, IReadOnlyList<FaceFeatures> wants)
    {
        _router = router;
        Request = request;
        EventId = eventId;
        Requested = requested;
        Detection = detection;
        EarlyCalls = earlyCalls;
        _leases = leases;
        _wants = wants;
    }

    public FaceRequest Request { get; }
    public ulong EventId { get; }
    /// <summary>The union of the features the plugins asked for.</summary>
    public FaceFeatures Requested { get; }
    /// <summary>The extracted face; null when no plugin wanted it (nothing to process).</summary>
    public DetectFace? Detection { get; }
    /// <summary>The plugins that ended with the first half: quarantined, not interested, failed or timed out in preprocessing, dropped.</summary>
    public IReadOnlyList<PluginCallResult> EarlyCalls { get; }

    /// <summary>Every interested plugin's ProcessAsync, each under its own timeout; never throws for a plugin's failure.</summary>
    public Task<RouteResult> ProcessAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _processed, 1) == 1) throw new InvalidOperationException($"event {EventId} was processed already");
        return _router.ProcessAsync(this, _leases, _wants, ct);
    }
}
