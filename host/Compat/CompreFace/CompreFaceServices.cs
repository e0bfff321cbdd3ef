using Router.Abstractions;
using System.Numerics.Tensors;
using Router.Host.Api;
using Router.Host.Galleries;

namespace Router.Host.Compat.CompreFace;

/// <summary>CompreFace's detection service (faces and their plugins) and verification service (one photo's face against another's).</summary>
internal static class CompreFaceServices
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/detection/detect", DetectAsync);
        api.MapPost("/verification/verify", VerifyAsync);
    }

    private static async Task<IResult> DetectAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var faces = request.Select(await photos.DetectAsync(await ImageUpload.ReadAsync(context), ct, request.Features));
        return Results.Json(new { result = faces.Select(request.Face), plugins_versions = request.Versions() }, CompatJson.Options);
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var images = await ImageUpload.ReadFieldsAsync(context, "source_image", "target_image");
        // The source's biggest face against every face of the target, best first.
        var source = request.Select(await photos.DetectAsync(images[0], ct, request.Features))[0];
        var targets = request.Select(await photos.DetectAsync(images[1], ct, request.Features));
        var matches = targets
            .Select(t => (Face: t, Similarity: CompatSimilarity.FromCosine(TensorPrimitives.CosineSimilarity(source.Facen!, t.Facen!))))
            .OrderByDescending(m => m.Similarity)
            .Select(m =>
            {
                var o = request.Face(m.Face);
                o["similarity"] = m.Similarity;
                return o;
            });
        return Results.Json(new
        {
            result = new[] { new { source_image_face = request.Face(source), face_matches = matches.ToList() } },
            plugins_versions = request.Versions(),
        }, CompatJson.Options);
    }
}
