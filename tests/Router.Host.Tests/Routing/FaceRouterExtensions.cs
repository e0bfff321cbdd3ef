using Router.Abstractions;
using Router.Models.Imaging;

namespace Router.Host.Routing;

/// <summary>
/// The whole route of one face in one call, for tests that want every plugin's answer; the product
/// always splits it (FaceEventRouter prepares, then hands the plugin calls on).
/// </summary>
internal static class FaceRouterExtensions
{
    public static async Task<RouteResult> RouteAsync(this FaceRouter router, FaceRequest request, ulong eventId, BgrImage? decodedFrame, CancellationToken ct)
    {
        var prepared = await router.PrepareAsync(request, eventId, decodedFrame, null, ct).ConfigureAwait(false);
        return await prepared.ProcessAsync(ct).ConfigureAwait(false);
    }
}
