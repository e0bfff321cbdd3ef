using System.Diagnostics;

namespace Router.Host.Telemetry;

/// <summary>
/// The host's traces: a face event's routing ("route face event") with its feature extraction and
/// each plugin call as children. StartActivity returns null while nothing listens, so an untraced
/// host pays one check per span; <see cref="TelemetryOptions.OtlpEndpoint"/> turns export on.
/// </summary>
public static class RouterActivities
{
    public const string Name = "Router";

    public static readonly ActivitySource Source = new(Name);
}
