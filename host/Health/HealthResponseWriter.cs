using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Router.Host.Health;

/// <summary>
/// The health answer as JSON: <c>{"status":"healthy","checks":{"gallery_store":{"status":"healthy","description":"...","duration_ms":1.2}}}</c>.
/// Exceptions are described by their message only, never their stack.
/// </summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object?>
        {
            ["status"] = Name(report.Status),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, object?>
            {
                ["status"] = Name(e.Value.Status),
                ["description"] = e.Value.Description ?? e.Value.Exception?.Message,
                ["duration_ms"] = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
