using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Health;

namespace Router.Host.Api;

/// <summary>
/// Requires <c>Authorization: Bearer KEY</c> with a configured key, when any key is configured;
/// <c>/metrics</c> too. The health answers are open to loopback clients only (<see cref="HealthEndpoints.IsOpenWithoutKey"/>).
/// The compatible APIs authenticate as their clients do (CompreFace's <c>x-api-key</c>; DeepStack's form
/// field <c>api_key</c> when DeepStack keys are configured), checked by their endpoints (<see cref="OwnAuthentication"/>), pass here.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly string[] _keys = options.Value.ApiKeys;

    public Task InvokeAsync(HttpContext context)
    {
        if (_keys.Length == 0 || HealthEndpoints.IsOpenWithoutKey(context)
            || context.GetEndpoint()?.Metadata.GetMetadata<OwnAuthentication>() is { } own && own.AppliesTo(context)
            || Router.Host.WebConsole.ConsoleEndpoints.IsConsolePath(context.Request.Path)) return next(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && ApiKeys.IndexOf(_keys, header[7..].Trim()) >= 0)
            return next(context);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiErrors.WriteAsync(context, new WireError(ErrorCodes.Unauthorized, "a valid API key is required: Authorization: Bearer KEY"));
    }
}
