using System.Text.Json;
using System.Text.Json.Serialization;
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
    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static IEndpointRouteBuilder MapCameraEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/cameras").WithTags("cameras");

        group.MapGet("", (CameraCatalog catalog) => Results.Json(new { cameras = catalog.List() }, RouterJson.Options))
            .WithSummary("Every camera with its status and statistics");

        group.MapGet("/{id}", (string id, CameraCatalog catalog) => Results.Json(catalog.Get(id), RouterJson.Options))
            .WithSummary("One camera (404 NOT_FOUND)");

        group.MapGet("/{id}/snapshot", (string id, CameraCatalog catalog, CameraManager manager) =>
            {
                catalog.Get(id); // NOT_FOUND for an unknown camera
                var snapshot = manager.Get(id)?.Snapshot()
                    ?? throw new RouterException(ErrorCodes.NotFound, $"camera '{id}' has no frame yet (not streaming)", "id", id);
                return Results.File(snapshot.Jpeg, "image/jpeg", lastModified: snapshot.Timestamp);
            })
            .WithSummary("The last frame the camera processed, as JPEG (404 before its first frame)");

        group.MapPut("/{id}", async (string id, HttpContext context, CameraCatalog catalog, CancellationToken ct) =>
            {
                var body = Parse(await RequestBody.ReadObjectAsync(context));
                var (view, created) = await catalog.PutAsync(id, body, ct);
                return Results.Json(view, RouterJson.Options, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            })
            .WithSummary("Create or replace a camera: {stream_url, labels, enabled, settings}; starts it when enabled, stops it when not");

        group.MapDelete("/{id}", async (string id, CameraCatalog catalog, CancellationToken ct) =>
            {
                await catalog.DeleteAsync(id, ct);
                return Results.NoContent();
            })
            .WithSummary("Stop and remove a camera");

        return app;
    }

    private static CameraPut Parse(JsonElement body)
    {
        try
        {
            return body.Deserialize<CameraPut>(Strict) ?? throw new GalleryException(ErrorCodes.MalformedRequest, "the body must be a JSON object");
        }
        catch (JsonException e)
        {
            var param = e.Path is { Length: > 2 } p ? p[2..] : "body";
            throw RouterException.BadParam(param, null, $"invalid camera: {e.Message.Split(". ")[0]}");
        }
    }
}
