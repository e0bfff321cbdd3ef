using Router.Abstractions;
using Router.Galleries.Engine;

namespace Router.Host.Api;

/// <summary><c>/v1/galleries</c>: list, create and drop galleries.</summary>
public static class GalleryEndpoints
{
    public static IEndpointRouteBuilder MapGalleryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/galleries").WithTags("galleries");

        group.MapGet("", async (GalleryEngine engine, CancellationToken ct) =>
                Results.Json(new WireGalleries(await engine.ListGalleriesAsync(ct)), RouterJson.Options))
            .WithSummary("Every gallery with its number of faces");

        group.MapPost("/{name}", async (string name, GalleryEngine engine, CancellationToken ct) =>
            {
                await engine.CreateGalleryAsync(name, ct);
                return Results.Json(new GalleryInfo(name, 0), RouterJson.Options, statusCode: StatusCodes.Status201Created);
            })
            .WithSummary("Create a gallery (409 CONFLICT if it exists)");

        group.MapDelete("/{name}", async (string name, GalleryEngine engine, CancellationToken ct) =>
            {
                await engine.DropGalleryAsync(name, ct);
                return Results.NoContent();
            })
            .WithSummary("Drop a gallery and all its faces");

        return app;
    }
}
