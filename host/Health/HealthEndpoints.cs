using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Router.Host.Health;

/// <summary>
/// <c>/healthz</c>: liveness, 200 while the process serves requests (no dependency is checked,
/// so a database outage does not get the process restarted). <c>/readyz</c>: readiness, 200 when
/// every check tagged <see cref="HealthServiceCollectionExtensions.Ready"/> passes, else 503;
/// both answer JSON naming each check.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";

    public static WebApplication MapRouterHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(HealthServiceCollectionExtensions.Ready),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }

    /// <summary>
    /// Health answers are open to clients on this machine (a local supervisor, a sidecar) even
    /// when API keys are configured; from anywhere else they need a key like every other route.
    /// </summary>
    public static bool IsOpenWithoutKey(HttpContext context) =>
        (context.Request.Path.Equals(LivePath, StringComparison.OrdinalIgnoreCase) || context.Request.Path.Equals(ReadyPath, StringComparison.OrdinalIgnoreCase))
        && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
}
