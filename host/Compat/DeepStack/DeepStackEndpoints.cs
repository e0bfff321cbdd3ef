using System.Numerics.Tensors;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Galleries.Engine;
using Router.Host.Api;
using Router.Host.Galleries;

namespace Router.Host.Compat.DeepStack;

/// <summary>
/// DeepStack's face API (also CodeProject.AI's): multipart forms in, <c>{"success": ...}</c> out,
/// people as Router subjects of one gallery. Confidence is on the compatible APIs' similarity scale
/// (<see cref="CompatSimilarity"/>), so DeepStack's default min_confidence 0.67 keeps strangers out.
/// </summary>
public static class DeepStackEndpoints
{
    public const string Prefix = "/v1/vision/face";

    /// <summary>DeepStack's default minimum confidence for a recognised face.</summary>
    public const double DefaultRecognitionConfidence = 0.67;

    private const string FormItem = "deepstack-form";

    public static IEndpointRouteBuilder MapDeepStackEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags("deepstack").AddEndpointFilter(FilterAsync);
        g.MapPost("", DetectAsync);
        g.MapPost("/register", RegisterAsync);
        g.MapPost("/recognize", RecognizeAsync);
        g.MapPost("/list", ListAsync);
        g.MapPost("/delete", DeleteAsync);
        g.MapPost("/match", MatchAsync);
        return app;
    }

    /// <summary>Whether the admin API's bearer check leaves these paths to <see cref="FilterAsync"/> (DeepStack keys are configured).</summary>
    public static bool OwnsAuthentication(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Prefix) &&
        context.RequestServices.GetRequiredService<IOptions<DeepStackOptions>>().Value.ApiKeys.Length > 0;

    private sealed record Form(List<ImageUpload.FormPart> Parts)
    {
        public string? Text(string name) => Parts.FirstOrDefault(p => p.Name == name) is { Bytes: not null } p ? p.Text : null;

        public byte[]? Image(string name) => Parts.FirstOrDefault(p => p.Name == name).Bytes;

        public double Confidence(double fallback) =>
            Text("min_confidence") is { Length: > 0 } t ? QueryValues.Double("min_confidence", t) : fallback;
    }

    private static Form FormOf(HttpContext context) => (Form)context.Items[FormItem]!;

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        try
        {
            var body = await RequestBody.ReadBytesAsync(context);
            var type = context.Request.ContentType ?? "";
            var form = new Form(type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                ? await ImageUpload.ReadFormAsync(body, type, context.RequestAborted) : []);
            var keys = context.RequestServices.GetRequiredService<IOptions<DeepStackOptions>>().Value.ApiKeys;
            if (keys.Length > 0 && ApiKeys.IndexOf(keys, form.Text("api_key")) < 0)
                return Fail(StatusCodes.Status401Unauthorized, "Incorrect api key");
            context.Items[FormItem] = form;
            return await next(invocation);
        }
        catch (RouterException e) when (e.Code == ErrorCodes.NoFace) { return Fail(StatusCodes.Status400BadRequest, "No face found in image"); }
        catch (RouterException e) { return Fail(ApiErrors.StatusOf(e.Code), e.Reason); }
    }

    private static IResult Fail(int status, string error) =>
        Results.Json(new Dictionary<string, object> { ["success"] = false, ["error"] = error, ["code"] = status }, CompatJson.Options, statusCode: status);

    private static byte[] ImageOf(Form form, string name = "image") =>
        form.Image(name) ?? throw RouterException.BadParam(name, null, $"the form needs the image in the field '{name}'");

    private static Dictionary<string, object> Box(DetectFace f)
    {
        var o = new Dictionary<string, object>();
        o["confidence"] = Math.Round(f.DetectionScore, 5);
        o["x_min"] = f.BBox.Left; o["y_min"] = f.BBox.Top; o["x_max"] = f.BBox.Right; o["y_max"] = f.BBox.Bottom;
        return o;
    }

    private static async Task<string> GalleryAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = context.RequestServices.GetRequiredService<IOptions<DeepStackOptions>>().Value.Gallery;
        await engine.EnsureGalleryAsync(gallery, ct);
        return gallery;
    }

    private static async Task<IResult> DetectAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var form = FormOf(context);
        double min = form.Confidence(0);
        var faces = (await photos.DetectAsync(ImageOf(form), ct)).Where(f => f.DetectionScore >= min).ToList();
        return Results.Json(new { success = true, predictions = faces.Select(f => Box(f)), count = faces.Count }, CompatJson.Options);
    }

    /// <summary>Adds the biggest face of <c>image</c> (or of each of <c>image1</c>..<c>imageN</c>) to the person <c>userid</c>.</summary>
    private static async Task<IResult> RegisterAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var form = FormOf(context);
        var userid = form.Text("userid") is { Length: > 0 } u ? u : throw RouterException.BadParam("userid", null, "register needs a userid");
        var gallery = await GalleryAsync(context, engine, ct);
        var images = form.Parts.Where(p => p.Name == "image" || (p.Name.StartsWith("image", StringComparison.Ordinal) && int.TryParse(p.Name[5..], out _)))
            .Select(p => p.Bytes).ToList();
        if (images.Count == 0) throw RouterException.BadParam("image", null, "register needs the image in the field 'image' (or image1..imageN)");
        RouterException? last = null;
        int added = 0;
        foreach (var image in images)
        {
            try
            {
                var face = await photos.BiggestAsync(image, ct);
                await engine.AddFaceAsync(gallery, null, FaceSource.FromDetection(face.Id!), null, 3, ct, enrollmentGate: true, subject: userid,
                    thumbnail: FaceThumbnail.FromPhoto(image, face.BBox));
                added++;
            }
            catch (RouterException e) when (e.Code is ErrorCodes.NoFace or ErrorCodes.EnrollmentRefused) { last = e; }
        }
        if (added == 0) throw last!;
        return Results.Json(new { success = true, message = "face added" }, CompatJson.Options);
    }

    private static async Task<IResult> RecognizeAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var form = FormOf(context);
        double min = form.Confidence(DefaultRecognitionConfidence);
        var gallery = await GalleryAsync(context, engine, ct);
        var predictions = new List<Dictionary<string, object>>();
        foreach (var face in await photos.DetectAsync(ImageOf(form), ct))
        {
            var found = await engine.SearchSubjectsAsync(gallery, face.Facen!, 0, 1, null, ct);
            var best = found.Count > 0 ? found[0] : null;
            var confidence = best is null ? 0 : CompatSimilarity.FromCosine(best.Confidence);
            var known = best is not null && confidence >= min;
            var o = Box(face);
            // Strangers are "unknown", as DeepStack answers them; a face's confidence is the match's, not the detector's.
            o["userid"] = known ? best!.Subject : "unknown";
            o["confidence"] = known ? confidence : 0;
            predictions.Add(o);
        }
        return Results.Json(new { success = true, predictions, count = predictions.Count }, CompatJson.Options);
    }

    private static async Task<IResult> ListAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        return Results.Json(new { success = true, faces = (await engine.ListSubjectsAsync(gallery, ct)).Select(s => s.Name) }, CompatJson.Options);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var userid = FormOf(context).Text("userid") is { Length: > 0 } u ? u : throw RouterException.BadParam("userid", null, "delete needs a userid");
        var gallery = await GalleryAsync(context, engine, ct);
        try { await engine.DeleteSubjectAsync(gallery, userid, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { } // DeepStack answers success for an unknown userid too
        return Results.Json(new { success = true }, CompatJson.Options);
    }

    private static async Task<IResult> MatchAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var form = FormOf(context);
        var a = await photos.BiggestAsync(ImageOf(form, "image1"), ct, "image1");
        var b = await photos.BiggestAsync(ImageOf(form, "image2"), ct, "image2");
        return Results.Json(new { success = true, similarity = CompatSimilarity.FromCosine(TensorPrimitives.CosineSimilarity(a.Facen!, b.Facen!)) }, CompatJson.Options);
    }
}
