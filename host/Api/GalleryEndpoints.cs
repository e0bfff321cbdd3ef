using Router.Abstractions;
using Router.Galleries.Engine;

namespace Router.Host.Api;

/// <summary><c>/v1/galleries</c>: list, create and drop galleries.</summary>
public static class GalleryEndpoints
{
    public static IEndpointRouteBuilder MapGalleryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/galleries").WithTags("galleries").ProducesErrors(400, 401, 503);

        group.MapGet("", async (GalleryEngine engine, CancellationToken ct) =>
                TypedResults.Ok(new WireGalleries(await engine.ListGalleriesAsync(ct))))
            .WithSummary("Every gallery with its number of faces");

        group.MapPost("/{name}", async (string name, GalleryEngine engine, CancellationToken ct) =>
            {
                await engine.CreateGalleryAsync(name, ct);
                return TypedResults.Created($"/v1/galleries/{name}/faces", new GalleryInfo(name, 0));
            })
            .WithSummary("Create a gallery (409 CONFLICT if it exists)")
            .ProducesErrors(409);

        group.MapDelete("/{name}", async (string name, GalleryEngine engine, CancellationToken ct) =>
            {
                await engine.DropGalleryAsync(name, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Drop a gallery and all its faces")
            .ProducesErrors(404);

        return app;
    }
}
