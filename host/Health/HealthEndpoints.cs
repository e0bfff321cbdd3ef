using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Router.Host.Health;

/// <summary>
/// <c>/healthz</c>: liveness, 200 while the process serves requests (no dependency is checked,
/// so a database outage does not get the process restarted). <c>/readyz</c>: readiness, 200 when
/// every check tagged <see cref="HealthServiceCollectionExtensions.Ready"/> passes, else 503;
/// both answer JSON naming each check. <c>/health/live</c> and <c>/health/ready</c> are the same
/// answers under the ASP.NET health-check names.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";
    private static readonly string[] LivePaths = [LivePath, "/health/live"];
    private static readonly string[] ReadyPaths = [ReadyPath, "/health/ready"];

    public static WebApplication MapRouterHealth(this WebApplication app)
    {
        foreach (var path in LivePaths)
            app.MapHealthChecks(path, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        foreach (var path in ReadyPaths)
            app.MapHealthChecks(path, new HealthCheckOptions
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
        LivePaths.Concat(ReadyPaths).Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase))
        && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
}
