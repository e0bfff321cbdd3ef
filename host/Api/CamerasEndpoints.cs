using Microsoft.AspNetCore.Http.HttpResults;
using Router.Abstractions;
using Router.Host.Cameras;
using Router.Host.Pipeline;

namespace Router.Host.Api;

/// <summary>
/// <c>/v1/cameras</c>, like a video manager's jobs: list, get, put (create or replace, then
/// start, restart or stop) and delete cameras. Cameras of the configuration are listed too,
/// read-only (409 CONFLICT on PUT/DELETE).
/// </summary>
public static class CamerasEndpoints
{
    public static IEndpointRouteBuilder MapCameraEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/cameras").WithTags("cameras").ProducesErrors(400, 401, 503);

        group.MapGet("", (CameraCatalog catalog) => TypedResults.Ok(new WireCameras(catalog.List())))
            .WithSummary("Every camera with its status and statistics");

        group.MapGet("/{id}", (string id, CameraCatalog catalog) => TypedResults.Ok(catalog.Get(id)))
            .WithSummary("One camera (404 NOT_FOUND)")
            .ProducesErrors(404);

        group.MapGet("/{id}/snapshot", (string id, CameraCatalog catalog, CameraManager manager) =>
            {
                catalog.Get(id); // NOT_FOUND for an unknown camera
                var snapshot = manager.Get(id)?.Snapshot()
                    ?? throw new RouterException(ErrorCodes.NotFound, $"camera '{id}' has no frame yet (not streaming)", "id", id);
                return TypedResults.File(snapshot.Jpeg, "image/jpeg", lastModified: snapshot.Timestamp);
            })
            .WithSummary("The last frame the camera processed, as JPEG (404 before its first frame)")
            .ProducesJpeg()
            .ProducesErrors(404);

        group.MapPut("/{id}", async Task<Results<Ok<CameraView>, Created<CameraView>>> (string id, JsonBody<CameraPut> body, CameraCatalog catalog, CancellationToken ct) =>
            {
                var (view, created) = await catalog.PutAsync(id, body.Value, ct);
                return created ? TypedResults.Created($"/v1/cameras/{id}", view) : TypedResults.Ok(view);
            })
            .WithSummary("Create or replace a camera: {stream_url, labels, enabled, settings}; starts it when enabled, stops it when not")
            .ProducesErrors(409);

        group.MapDelete("/{id}", async (string id, CameraCatalog catalog, CancellationToken ct) =>
            {
                await catalog.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Stop and remove a camera")
            .ProducesErrors(404, 409);

        return app;
    }
}

/// <summary>The body of <c>GET /v1/cameras</c>.</summary>
public sealed record WireCameras(IReadOnlyList<CameraView> Cameras);
