using Router.Abstractions;

namespace Router.Host.Api;

public static class ApiApplicationExtensions
{
    /// <summary>Error bodies, API keys and the OpenAPI document; call before mapping endpoint groups.</summary>
    public static WebApplication UseRouterApi(this WebApplication app)
    {
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Empty error answers of the framework itself get a JSON body too: 404 for a path no route
        // has, 405 (with Allow, set by routing) for a route asked with another method, 404 of a
        // route constraint... (No catch-all fallback endpoint: it matched every method, so a route
        // asked with a wrong method got 404.) Kestrel's own answers before the pipeline: KestrelErrorBodies.
        app.UseStatusCodePages(async ctx =>
        {
            var status = ctx.HttpContext.Response.StatusCode;
            var request = ctx.HttpContext.Request;
            var code = status switch
            {
                StatusCodes.Status404NotFound => ErrorCodes.NotFound,
                StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
                StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
                StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
                >= 500 => ErrorCodes.UnknownError,
                _ => ErrorCodes.BadParam,
            };
            var reason = status switch
            {
                StatusCodes.Status404NotFound => $"no route {request.Method} {request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not answer {request.Method}; it answers {ctx.HttpContext.Response.Headers.Allow}",
                _ => $"HTTP {status} for {request.Method} {request.Path}",
            };
            await ApiErrors.WriteAsync(ctx.HttpContext, new WireError(code, reason), status);
        });
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapOpenApi();
        return app;
    }
}
