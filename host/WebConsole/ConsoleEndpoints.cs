using System.Reflection;

namespace Router.Host.WebConsole;

/// <summary>
/// The operator console: static files embedded in the host, served at <c>/</c> (the page) and
/// <c>/ui/…</c> (its modules and styles). Nothing is fetched at run time and no Node is needed:
/// plain ES modules that call the <c>/v1</c> API with the key the operator signs in with.
/// </summary>
public static class ConsoleEndpoints
{
    public const string AssetsPrefix = "/ui";
    private const string ResourcePrefix = "console/";
    private static readonly Assembly Assembly = typeof(ConsoleEndpoints).Assembly;
    private static readonly string Version = Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>Paths the console serves without an API key: the page and its code hold no data (the API calls they make do).</summary>
    public static bool IsConsolePath(PathString path) => path == "/" || path.StartsWithSegments(AssetsPrefix);

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription();
        app.MapGet(AssetsPrefix + "/{**file}", (string file, HttpContext context) => Serve(context, file)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext context, string file)
    {
        if (file.Contains("..", StringComparison.Ordinal)) return Results.NotFound();
        var stream = Assembly.GetManifestResourceStream(ResourcePrefix + file);
        if (stream is null) return Results.NotFound();
        var type = Types.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
        // The files change only with the build: the version is their ETag, and the page is never cached stale.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Content-Security-Policy"] =
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
        return Results.Stream(stream, type, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{Version.GetHashCode():x8}\""));
    }
}
