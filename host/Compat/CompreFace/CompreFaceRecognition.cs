using System.Text.Json;
using Router.Abstractions;
using Router.Galleries.Engine;
using Router.Galleries.Index;
using Router.Host.Api;
using Router.Host.Galleries;

namespace Router.Host.Compat.CompreFace;

/// <summary>
/// CompreFace's recognition service on the key's gallery: subjects, examples (a subject's faces),
/// recognize, verify against an example, and recognition from embeddings. Subjects are Router
/// subjects, examples Router faces, so both APIs see the same people.
/// </summary>
internal static class CompreFaceRecognition
{
    public static void Map(RouteGroupBuilder g)
    {
        g.MapPost("/subjects", CreateSubjectAsync);
        g.MapGet("/subjects", ListSubjectsAsync); // also serves /subjects/, as the SDKs call it
        g.MapPut("/subjects/{subject}", RenameSubjectAsync);
        g.MapDelete("/subjects/{subject}", DeleteSubjectAsync);
        g.MapDelete("/subjects", DeleteAllSubjectsAsync);
        g.MapPost("/faces", AddExampleAsync);
        g.MapGet("/faces", ListExamplesAsync);
        g.MapDelete("/faces", DeleteExamplesAsync);
        g.MapDelete("/faces/{imageId}", DeleteExampleAsync);
        g.MapPost("/faces/delete", DeleteExamplesByIdAsync);
        g.MapPost("/faces/{imageId}/verify", VerifyAsync);
        g.MapGet("/faces/{imageId}/img", ImageAsync);
        g.MapPost("/recognize", RecognizeAsync);
        g.MapPost("/embeddings/recognize", RecognizeEmbeddingsAsync);
    }

    private static async Task<string> GalleryAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = CompreFaceEndpoints.KeyOf(context).Gallery!;
        await engine.EnsureGalleryAsync(gallery, ct);
        return gallery;
    }

    private static async Task<string> SubjectOfBodyAsync(HttpContext context)
    {
        var body = await RequestBody.ReadObjectAsync(context);
        return body.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { Length: > 0 } name
            ? name : throw CompreFaceError.Missing("subject");
    }

    private static async Task<IResult> CreateSubjectAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var subject = await SubjectOfBodyAsync(context);
        try { await engine.CreateSubjectAsync(gallery, subject, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.Conflict)
        {
            throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.SubjectAlreadyExists, $"Subject {subject} already exists");
        }
        return Results.Json(new { subject }, CompatJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListSubjectsAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        return Results.Json(new { subjects = (await engine.ListSubjectsAsync(gallery, ct)).Select(s => s.Name) }, CompatJson.Options);
    }

    private static async Task<IResult> RenameSubjectAsync(string subject, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var newName = await SubjectOfBodyAsync(context);
        try { await engine.RenameSubjectAsync(gallery, subject, newName, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoSubject(subject); }
        return Results.Json(new { updated = true }, CompatJson.Options);
    }

    private static async Task<IResult> DeleteSubjectAsync(string subject, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        try { await engine.DeleteSubjectAsync(gallery, subject, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoSubject(subject); }
        return Results.Json(new { subject }, CompatJson.Options);
    }

    private static async Task<IResult> DeleteAllSubjectsAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var subjects = await engine.ListSubjectsAsync(gallery, ct);
        foreach (var s in subjects) await engine.DeleteSubjectAsync(gallery, s.Name, ct);
        return Results.Json(new { deleted = subjects.Count }, CompatJson.Options);
    }

    private static async Task<IResult> AddExampleAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var subject = context.Request.Query["subject"].ToString() is { Length: > 0 } s ? s : throw CompreFaceError.Missing("subject");
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var image = await ImageUpload.ReadAsync(context);
        var faces = request.Select(await photos.DetectAsync(image, ct));
        if (faces.Count > 1)
            throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.TooManyFaces, "Detected more than one face: an example must show one person");
        // The enrollment gate holds here as on /v1: an example is compared with every face that comes later.
        var face = await engine.AddFaceAsync(gallery, null, FaceSource.FromDetection(faces[0].Id!), null, 3, ct, enrollmentGate: true, subject: subject,
            thumbnail: FaceThumbnail.FromPhoto(image, faces[0].BBox));
        return Results.Json(new { image_id = CompreFaceImageId.Of(face.Id.Face), subject }, CompatJson.Options);
    }

    /// <summary>The faces of the gallery (of one subject when given) in id order, every one of them: the listing pages in the engine's cursor order.</summary>
    private static async Task<List<Face>> ExamplesAsync(GalleryEngine engine, string gallery, string? subject, CancellationToken ct)
    {
        var filters = subject is null ? new List<Filter>() : [Filters.Subject.OneOf(subject)];
        var all = new List<Face>();
        string? page = null;
        do
        {
            var r = await engine.ListAsync(gallery, filters, GalleryEngine.MaxLimit, null, page, ct);
            all.AddRange(subject is null ? r.Results.Where(f => f.Subject is not null) : r.Results);
            page = r.NextPage;
        } while (page is not null);
        return all;
    }

    private static async Task<IResult> ListExamplesAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var q = context.Request.Query;
        int page = q["page"].ToString() is { Length: > 0 } p ? QueryValues.Int("page", p) : 0;
        int size = q["size"].ToString() is { Length: > 0 } z ? QueryValues.Int("size", z) : 20;
        if (page < 0 || size < 1 || size > GalleryEngine.MaxLimit) throw CompreFaceError.Incorrect($"page must be 0 or more and size 1..{GalleryEngine.MaxLimit}");
        var subject = q["subject"].ToString() is { Length: > 0 } s ? s : null;
        var all = await ExamplesAsync(engine, gallery, subject, ct);
        return Results.Json(new
        {
            faces = all.Skip(page * size).Take(size).Select(f => new { image_id = CompreFaceImageId.Of(f.Id.Face), subject = f.Subject }),
            page_number = page,
            page_size = size,
            total_pages = (all.Count + size - 1) / size,
            total_elements = all.Count,
        }, CompatJson.Options);
    }

    private static async Task<IResult> DeleteExamplesAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var subject = context.Request.Query["subject"].ToString() is { Length: > 0 } s ? s : null;
        var faces = await ExamplesAsync(engine, gallery, subject, ct);
        foreach (var f in faces) await engine.DeleteFaceAsync(gallery, f.Id.Face, ct);
        return Results.Json(new { deleted = faces.Count }, CompatJson.Options);
    }

    private static async Task<IResult> DeleteExampleAsync(string imageId, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var face = await ExampleAsync(engine, gallery, imageId, ct);
        await engine.DeleteFaceAsync(gallery, face.Id.Face, ct);
        return Results.Json(new { image_id = imageId, subject = face.Subject }, CompatJson.Options);
    }

    /// <summary>The example's stored picture: Router keeps the face's thumbnail (the face with a margin, at most 128 px), not the whole upload.</summary>
    private static async Task<IResult> ImageAsync(string imageId, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var face = await ExampleAsync(engine, gallery, imageId, ct);
        try { return Results.Bytes(await engine.GetThumbnailAsync(gallery, face.Id.Face, ct), "image/jpeg"); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoImage(imageId); }
    }

    private static async Task<Face> ExampleAsync(GalleryEngine engine, string gallery, string imageId, CancellationToken ct)
    {
        try { return await engine.GetFaceAsync(gallery, CompreFaceImageId.Parse(imageId), ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoImage(imageId); }
    }

    private static async Task<IResult> DeleteExamplesByIdAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var body = JsonDocument.Parse(await RequestBody.ReadBytesAsync(context)).RootElement;
        if (body.ValueKind != JsonValueKind.Array) throw CompreFaceError.Incorrect("the body must be a JSON array of image ids");
        var deleted = new List<object>();
        foreach (var item in body.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw CompreFaceError.Incorrect("image ids are strings");
            var imageId = item.GetString()!;
            Face face;
            try { face = await ExampleAsync(engine, gallery, imageId, ct); }
            catch (CompreFaceError) { continue; } // CompreFace answers for the ids it deleted
            await engine.DeleteFaceAsync(gallery, face.Id.Face, ct);
            deleted.Add(new { image_id = imageId, subject = face.Subject });
        }
        return Results.Json(deleted, CompatJson.Options);
    }

    /// <summary>The best subjects of an embedding on CompreFace's similarity scale; negative examples hold.</summary>
    private static async Task<List<Dictionary<string, object?>>> SubjectsAsync(GalleryEngine engine, string gallery, float[] embedding, int count,
        CancellationToken ct) =>
        (await engine.SearchSubjectsAsync(gallery, embedding, 0, count, null, ct))
            .Select(m => new Dictionary<string, object?> { ["subject"] = m.Subject, ["similarity"] = CompatSimilarity.FromCosine(m.Confidence) })
            .ToList();

    private static async Task<IResult> RecognizeAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var faces = request.Select(await photos.DetectAsync(await ImageUpload.ReadAsync(context), ct, request.Features));
        var result = new List<Dictionary<string, object?>>();
        foreach (var f in faces)
        {
            var o = request.Face(f);
            o["subjects"] = await SubjectsAsync(engine, gallery, f.Facen!, request.PredictionCount, ct);
            result.Add(o);
        }
        return Results.Json(new { result, plugins_versions = request.Versions() }, CompatJson.Options);
    }

    private static async Task<IResult> VerifyAsync(string imageId, HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var example = await ExampleAsync(engine, gallery, imageId, ct);
        var stored = await engine.Store.ReadVectorsAsync(gallery, [example.Id.Face], ct);
        if (!stored.TryGetValue(example.Id.Face, out var bytes)) throw CompreFaceError.NoImage(imageId);
        var vector = Router.Galleries.Storage.FaceJson.Vector(bytes).ToArray();
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var faces = request.Select(await photos.DetectAsync(await ImageUpload.ReadAsync(context), ct, request.Features));
        var result = faces.Select(f =>
        {
            var o = request.Face(f);
            o["similarity"] = CompatSimilarity.FromCosine(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(f.Facen!, vector));
            return o;
        }).ToList();
        return Results.Json(new { result, plugins_versions = request.Versions() }, CompatJson.Options);
    }

    private static async Task<IResult> RecognizeEmbeddingsAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var body = await RequestBody.ReadObjectAsync(context);
        if (!body.TryGetProperty("embeddings", out var list) || list.ValueKind != JsonValueKind.Array)
            throw CompreFaceError.Incorrect("the body must be {\"embeddings\": [[...], ...]}");
        var result = new List<object>();
        foreach (var item in list.EnumerateArray())
        {
            var embedding = item.ValueKind == JsonValueKind.Array ? item.EnumerateArray().Select(x => x.GetSingle()).ToArray()
                : throw CompreFaceError.Incorrect("each embedding is an array of numbers");
            if (embedding.Length != VectorLayout.Dimension) throw CompreFaceError.Incorrect($"an embedding has {VectorLayout.Dimension} numbers, not {embedding.Length}");
            result.Add(new { embedding, similarities = await SubjectsAsync(engine, gallery, embedding, request.PredictionCount, ct) });
        }
        return Results.Json(new { result }, CompatJson.Options);
    }
}
