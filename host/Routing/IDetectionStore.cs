using Router.Abstractions;

namespace Router.Host.Routing;

/// <summary>
/// Keeps a detection with its embedding and gives back its id, so that plugins can use it in
/// Detection filters and as an add source (sfapi's memcached detection). The router needs only
/// this; the host binds it to the gallery engine's detection cache.
/// </summary>
public interface IDetectionStore
{
    /// <summary>Stores <paramref name="detection"/> (its Facen must be set) and returns its new id.</summary>
    ValueTask<string> StoreAsync(DetectFace detection, CancellationToken ct);
}
