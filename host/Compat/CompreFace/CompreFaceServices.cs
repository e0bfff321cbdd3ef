using System.Numerics.Tensors;
using Microsoft.AspNetCore.Http.HttpResults;
using Router.Abstractions;
using Router.Host.Api;
using Router.Host.Galleries;

namespace Router.Host.Compat.CompreFace;

/// <summary>CompreFace's detection service (faces and their plugins) and verification service (one photo's face against another's).</summary>
internal static class CompreFaceServices
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/detection/detect", DetectAsync).WithSummary("The faces of a photo and the objects of the plugins asked for")
            .AcceptsCompreFaceImage().Produces<CompreFaceDetectResponse>(StatusCodes.Status200OK);
        string[] images = ["source_image", "target_image"];
        api.MapPost("/verification/verify", VerifyAsync).WithSummary("The biggest face of source_image against every face of target_image, best first")
            .WithMetadata(new FormBodyMetadata("the two images as multipart/form-data fields, or as base64 in JSON",
                [.. images.Select(name => new FormField(name, $"the {name.Split('_')[0]} image", File: true, Required: true))], AlsoJson: true))
            .WithQuery(CompreFaceEndpoints.FaceQuery)
            .Produces<CompreFaceVerificationResponse>(StatusCodes.Status200OK)
            .ProducesCompreFaceErrors(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<JsonHttpResult<CompreFaceDetectResponse>> DetectAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var faces = request.Select(await photos.DetectAsync(await ImageUpload.ReadAsync(context), ct, request.Features));
        return CompatJson.Write(new CompreFaceDetectResponse(faces.Select(request.Face).ToList(), request.Versions()));
    }

    private static async Task<JsonHttpResult<CompreFaceVerificationResponse>> VerifyAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var images = await ImageUpload.ReadFieldsAsync(context, "source_image", "target_image");
        // The source's biggest face against every face of the target, best first.
        var source = request.Select(await photos.DetectAsync(images[0], ct, request.Features))[0];
        var targets = request.Select(await photos.DetectAsync(images[1], ct, request.Features));
        var matches = targets
            .Select(t => (Face: t, Similarity: CompatSimilarity.FromCosine(TensorPrimitives.CosineSimilarity(source.Facen!, t.Facen!))))
            .OrderByDescending(m => m.Similarity)
            .Select(m => request.Face<CompreFaceComparedFace>(m.Face) with { Similarity = m.Similarity })
            .ToList();
        return CompatJson.Write(new CompreFaceVerificationResponse([new CompreFaceVerification(request.Face(source), matches)], request.Versions()));
    }
}
