using Router.Abstractions;

namespace Router.Host.Api;

public static class ApiApplicationExtensions
{
    /// <summary>Error bodies, API keys and the OpenAPI document; call before mapping endpoint groups.</summary>
    public static WebApplication UseRouterApi(this WebApplication app)
    {
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Empty error answers of the framework itself (405, 404 of a route constraint...) get a JSON body too.
        app.UseStatusCodePages(async ctx =>
        {
            var status = ctx.HttpContext.Response.StatusCode;
            var code = status switch
            {
                StatusCodes.Status404NotFound => ErrorCodes.NotFound,
                StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
                StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
                >= 500 => ErrorCodes.UnknownError,
                _ => ErrorCodes.BadParam,
            };
            await ApiErrors.WriteAsync(ctx.HttpContext, new WireError(code, $"HTTP {status} for {ctx.HttpContext.Request.Method} {ctx.HttpContext.Request.Path}"), status);
        });
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapOpenApi();
        return app;
    }

    /// <summary>Any route no group claimed: JSON 404.</summary>
    public static WebApplication MapRouterApiFallback(this WebApplication app)
    {
        app.MapFallback((HttpContext context) => ApiErrors.WriteAsync(context,
            new WireError(ErrorCodes.NotFound, $"no route {context.Request.Method} {context.Request.Path}"), StatusCodes.Status404NotFound));
        return app;
    }
}
