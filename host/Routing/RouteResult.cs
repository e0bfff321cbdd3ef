using Router.Abstractions;

namespace Router.Host.Routing;

/// <summary>
/// What routing one face did: the union of requested features, the detection computed for it
/// (null when no plugin was interested), and which plugins got the face and how each call ended.
/// </summary>
public sealed record RouteResult(ulong EventId, FaceFeatures Requested, DetectFace? Detection, IReadOnlyList<PluginCallResult> Calls);
