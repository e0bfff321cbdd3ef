using Router.Abstractions;

namespace Router.Host.Routing;

/// <summary>How one plugin's handling of one face ended.</summary>
public sealed record PluginCallResult(string Plugin, FaceFeatures Requested, PluginCallOutcome Outcome, double ElapsedMs, string? Error);
