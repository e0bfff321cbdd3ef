using Router.Abstractions;
using Router.Host.Galleries;

namespace Router.Host.Api;

/// <summary><c>/v1/detect</c>: detect faces in a posted image; read back a cached detection.</summary>
public static class DetectEndpoints
{
    public static IEndpointRouteBuilder MapDetectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/detect").WithTags("detect").ProducesErrors(400, 401, 503);

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
                var image = await ImageUpload.ReadAsync(context);
                var result = await client.DetectAsync(image, features, returnFacen, ct);
                return TypedResults.Ok(WireDetectResponse.From(result, returnFacen));
            })
            .WithSummary("Detect faces in an image sent raw (any content type), as multipart/form-data (photo, file or image) or as JSON base64; with facen=true each face gets an id usable in looks_like and as an add source")
            .AcceptsImages()
            .WithQuery([.. HttpGalleryClient.FeatureNames.Select(f => new QueryParameterMetadata(f.Name, Microsoft.OpenApi.JsonSchemaType.Boolean, "compute " + f.Name)),
                new("return_facen", Microsoft.OpenApi.JsonSchemaType.Boolean, "return each face's embedding (base64 float32)")])
            .ProducesErrors(413, 422);

        group.MapGet("/{id}", async (string id, InProcessGalleryClient client, CancellationToken ct) =>
                TypedResults.Ok(WireDetectFace.From(await client.GetDetectionAsync(id, ct), withFacen: true)))
            .WithSummary("A cached detection (with its facen) while it lives")
            .ProducesErrors(404);

        return app;
    }
}
