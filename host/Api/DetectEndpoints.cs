using Router.Abstractions;
using Router.Host.Galleries;

namespace Router.Host.Api;

/// <summary><c>/v1/detect</c>: detect faces in a posted image; read back a cached detection.</summary>
public static class DetectEndpoints
{
    // Every format the decoder reads (GIF: its first frame), so that a supported image is not refused by its label.
    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/webp", "image/bmp", "image/gif"];

    public static IEndpointRouteBuilder MapDetectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/detect").WithTags("detect");

        group.MapPost("", async (HttpContext context, InProcessGalleryClient client, CancellationToken ct) =>
            {
                var features = FaceFeatures.None;
                bool returnFacen = false;
                foreach (var (key, values) in context.Request.Query)
                {
                    bool on = QueryValues.Bool(key, values.ToString());
                    if (key == "return_facen") { returnFacen = on; continue; }
                    var flag = HttpGalleryClient.FeatureNames.FirstOrDefault(f => f.Name == key);
                    if (flag.Name is null) throw RouterException.BadParam(key, values.ToString(), "unknown query parameter");
                    if (on) features |= flag.Flag;
                }
                var type = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
                if (type is null || !ImageTypes.Contains(type))
                    throw RouterException.BadParam("content-type", context.Request.ContentType, "the body must be image/jpeg, image/png, image/webp, image/bmp or image/gif");
                var image = await RequestBody.ReadBytesAsync(context);
                var result = await client.DetectAsync(image, features, returnFacen, ct);
                return Results.Json(WireDetectResponse.From(result, returnFacen), RouterJson.Options);
            })
            .WithSummary("Detect faces; with facen=true each face gets an id usable in looks_like and as an add source");

        group.MapGet("/{id}", async (string id, InProcessGalleryClient client, CancellationToken ct) =>
                Results.Json(WireDetectFace.From(await client.GetDetectionAsync(id, ct), withFacen: true), RouterJson.Options))
            .WithSummary("A cached detection (with its facen) while it lives");

        return app;
    }
}
