using System.Numerics.Tensors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
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
        // Every answer may be a wrong key (401) or a bad request (400); one with a photo also too big (413) or the models busy or failing (503).
        const int Ok = StatusCodes.Status200OK;
        int[] photoErrors = [StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable];
        var g = app.MapGroup(Prefix).WithTags("deepstack").WithMetadata(new OwnAuthentication()).AddEndpointFilter(FilterAsync)
            .ProducesJson(typeof(DeepStackFailure), StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized);
        FormField image = new("image", "the photo", File: true, Required: true);
        FormField minConfidence = new("min_confidence", "", Type: JsonSchemaType.Number);
        FormField userid = new("userid", "the person", Required: true);
        g.MapPost("", DetectAsync).WithSummary("The faces of a photo")
            .AcceptsForm("a multipart/form-data form", image, minConfidence with { Description = "the detector's least confidence (default 0)" }, ApiKey)
            .Produces<DeepStackDetectResponse>(Ok).ProducesJson(typeof(DeepStackFailure), photoErrors);
        g.MapPost("/register", RegisterAsync).WithSummary("Add the biggest face of each photo to a person")
            .AcceptsForm("a multipart/form-data form", image with { Description = "the photo (or several: image1..imageN)", Required = false }, userid, ApiKey)
            .Produces<DeepStackMessage>(Ok).ProducesJson(typeof(DeepStackFailure), [.. photoErrors, StatusCodes.Status422UnprocessableEntity]);
        g.MapPost("/recognize", RecognizeAsync).WithSummary("The person of each face of a photo (\"unknown\" for strangers)")
            .AcceptsForm("a multipart/form-data form", image,
                minConfidence with { Description = $"the least confidence of a match (default {DefaultRecognitionConfidence.ToString(System.Globalization.CultureInfo.InvariantCulture)})" }, ApiKey)
            .Produces<DeepStackRecognizeResponse>(Ok).ProducesJson(typeof(DeepStackFailure), photoErrors);
        g.MapPost("/list", ListAsync).WithSummary("The registered people")
            .AcceptsForm("a multipart/form-data form (empty without DeepStack keys)", ApiKey).Produces<DeepStackFaces>(Ok);
        g.MapPost("/delete", DeleteAsync).WithSummary("Delete a person (success for an unknown one too)")
            .AcceptsForm("a multipart/form-data form", userid, ApiKey).Produces<DeepStackSuccess>(Ok);
        g.MapPost("/match", MatchAsync).WithSummary("The similarity of the biggest faces of two photos")
            .AcceptsForm("a multipart/form-data form", image with { Name = "image1", Description = "the first photo" },
                image with { Name = "image2", Description = "the second photo" }, ApiKey)
            .Produces<DeepStackMatch>(Ok).ProducesJson(typeof(DeepStackFailure), photoErrors);
        return app;
    }

    private static readonly FormField ApiKey = new("api_key", "one of DeepStack:ApiKeys; without them, one of Api:ApiKeys (or Authorization: Bearer KEY)");

    /// <summary>
    /// DeepStack:ApiKeys in the form field <c>api_key</c>; without them the admin API's keys, in that
    /// field or as <c>Authorization: Bearer</c>; no keys at all: open (the host listens on loopback only
    /// then). Checked here rather than by the admin API's middleware so that a refusal comes in
    /// DeepStack's shape, which its clients read.
    /// </summary>
    private static bool Authorized(HttpContext context, Form form)
    {
        var own = context.RequestServices.GetRequiredService<IOptions<DeepStackOptions>>().Value.ApiKeys;
        if (own.Length > 0) return ApiKeys.IndexOf(own, form.Text("api_key")) >= 0;
        var admin = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.ApiKeys;
        if (admin.Length == 0) return true;
        var header = context.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        return ApiKeys.IndexOf(admin, form.Text("api_key")) >= 0 || ApiKeys.IndexOf(admin, bearer) >= 0;
    }

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
            if (!Authorized(context, form)) return Fail(StatusCodes.Status401Unauthorized, "Incorrect api key");
            context.Items[FormItem] = form;
            return await next(invocation);
        }
        catch (RouterException e) when (e.Code == ErrorCodes.NoFace) { return Fail(StatusCodes.Status400BadRequest, "No face found in image"); }
        catch (RouterException e) { return Fail(ApiErrors.StatusOf(e.Code), e.Reason); }
    }

    private static JsonHttpResult<DeepStackFailure> Fail(int status, string error) => CompatJson.Write(new DeepStackFailure(false, error, status), status);

    private static byte[] ImageOf(Form form, string name = "image") =>
        form.Image(name) ?? throw RouterException.BadParam(name, null, $"the form needs the image in the field '{name}'");

    private static DeepStackFace Box(DetectFace f) => new(Math.Round(f.DetectionScore, 5), f.BBox.Left, f.BBox.Top, f.BBox.Right, f.BBox.Bottom);

    private static async Task<string> GalleryAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = context.RequestServices.GetRequiredService<IOptions<DeepStackOptions>>().Value.Gallery;
        await engine.EnsureGalleryAsync(gallery, ct);
        return gallery;
    }

    private static async Task<JsonHttpResult<DeepStackDetectResponse>> DetectAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var form = FormOf(context);
        double min = form.Confidence(0);
        var faces = (await photos.DetectAsync(ImageOf(form), ct)).Where(f => f.DetectionScore >= min).ToList();
        return CompatJson.Write(new DeepStackDetectResponse(true, faces.Select(Box).ToList(), faces.Count));
    }

    /// <summary>Adds the biggest face of <c>image</c> (or of each of <c>image1</c>..<c>imageN</c>) to the person <c>userid</c>.</summary>
    private static async Task<JsonHttpResult<DeepStackMessage>> RegisterAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
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
        return CompatJson.Write(new DeepStackMessage(true, "face added"));
    }

    private static async Task<JsonHttpResult<DeepStackRecognizeResponse>> RecognizeAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var form = FormOf(context);
        double min = form.Confidence(DefaultRecognitionConfidence);
        var gallery = await GalleryAsync(context, engine, ct);
        var predictions = new List<DeepStackRecognizedFace>();
        foreach (var face in await photos.DetectAsync(ImageOf(form), ct))
        {
            var found = await engine.SearchSubjectsAsync(gallery, face.Facen!, 0, 1, null, ct);
            var best = found.Count > 0 ? found[0] : null;
            var confidence = best is null ? 0 : CompatSimilarity.FromCosine(best.Confidence);
            var known = best is not null && confidence >= min;
            // Strangers are "unknown", as DeepStack answers them; a face's confidence is the match's, not the detector's.
            var b = face.BBox;
            predictions.Add(new DeepStackRecognizedFace(known ? confidence : 0, b.Left, b.Top, b.Right, b.Bottom, known ? best!.Subject : "unknown"));
        }
        return CompatJson.Write(new DeepStackRecognizeResponse(true, predictions, predictions.Count));
    }

    private static async Task<JsonHttpResult<DeepStackFaces>> ListAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        return CompatJson.Write(new DeepStackFaces(true, (await engine.ListSubjectsAsync(gallery, ct)).Select(s => s.Name).ToList()));
    }

    private static async Task<JsonHttpResult<DeepStackSuccess>> DeleteAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var userid = FormOf(context).Text("userid") is { Length: > 0 } u ? u : throw RouterException.BadParam("userid", null, "delete needs a userid");
        var gallery = await GalleryAsync(context, engine, ct);
        try { await engine.DeleteSubjectAsync(gallery, userid, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { } // DeepStack answers success for an unknown userid too
        return CompatJson.Write(new DeepStackSuccess(true));
    }

    private static async Task<JsonHttpResult<DeepStackMatch>> MatchAsync(HttpContext context, PhotoFaces photos, CancellationToken ct)
    {
        var form = FormOf(context);
        var a = await photos.BiggestAsync(ImageOf(form, "image1"), ct, "image1");
        var b = await photos.BiggestAsync(ImageOf(form, "image2"), ct, "image2");
        return CompatJson.Write(new DeepStackMatch(true, CompatSimilarity.FromCosine(TensorPrimitives.CosineSimilarity(a.Facen!, b.Facen!))));
    }
}
