using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
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
        const int Ok = StatusCodes.Status200OK, NotFound = StatusCodes.Status404NotFound, TooLarge = StatusCodes.Status413PayloadTooLarge;
        QueryParameterMetadata subjectQuery = new("subject", JsonSchemaType.String, "the subject of the examples");
        g.MapPost("/subjects", CreateSubjectAsync).WithSummary("Create a subject")
            .Accepts<CompreFaceSubject>("application/json").Produces<CompreFaceSubject>(StatusCodes.Status201Created).ProducesCompreFaceErrors(TooLarge);
        g.MapGet("/subjects", ListSubjectsAsync).WithSummary("The subjects") // also serves /subjects/, as the SDKs call it
            .Produces<CompreFaceSubjects>(Ok);
        g.MapPut("/subjects/{subject}", RenameSubjectAsync).WithSummary("Rename a subject (onto an existing one: merge them)")
            .Accepts<CompreFaceSubject>("application/json").Produces<CompreFaceUpdated>(Ok).ProducesCompreFaceErrors(NotFound, TooLarge);
        g.MapDelete("/subjects/{subject}", DeleteSubjectAsync).WithSummary("Delete a subject and its examples")
            .Produces<CompreFaceSubject>(Ok).ProducesCompreFaceErrors(NotFound);
        g.MapDelete("/subjects", DeleteAllSubjectsAsync).WithSummary("Delete every subject").Produces<CompreFaceDeleted>(Ok);
        g.MapPost("/faces", AddExampleAsync).WithSummary("Add an example (one face) of a subject, created on its first example")
            .AcceptsCompreFaceImage().WithQuery(subjectQuery with { Description = "the subject the example shows (required)" })
            .Produces<CompreFaceExample>(Ok);
        g.MapGet("/faces", ListExamplesAsync).WithSummary("The examples, one page")
            .WithQuery(new("page", JsonSchemaType.Integer, "the page, from 0"), new("size", JsonSchemaType.Integer, $"examples a page, 1..{GalleryEngine.MaxLimit} (default 20)"), subjectQuery)
            .Produces<CompreFaceExamplePage>(Ok);
        g.MapDelete("/faces", DeleteExamplesAsync).WithSummary("Delete the examples (of one subject when given)")
            .WithQuery(subjectQuery).Produces<CompreFaceDeleted>(Ok);
        g.MapDelete("/faces/{imageId}", DeleteExampleAsync).WithSummary("Delete one example")
            .Produces<CompreFaceExample>(Ok).ProducesCompreFaceErrors(NotFound);
        g.MapPost("/faces/delete", DeleteExamplesByIdAsync).WithSummary("Delete examples by id; answers those deleted")
            .Accepts<List<string>>("application/json").Produces<List<CompreFaceExample>>(Ok).ProducesCompreFaceErrors(TooLarge);
        g.MapPost("/faces/{imageId}/verify", VerifyAsync).WithSummary("Each face of a photo against one example")
            .AcceptsCompreFaceImage().Produces<CompreFaceVerifyResponse>(Ok).ProducesCompreFaceErrors(NotFound);
        g.MapGet("/faces/{imageId}/img", ImageAsync).WithSummary("An example's stored picture (its thumbnail)")
            .ProducesJpeg().ProducesCompreFaceErrors(NotFound);
        g.MapPost("/recognize", RecognizeAsync).WithSummary("The subjects of each face of a photo")
            .AcceptsCompreFaceImage().Produces<CompreFaceRecognizeResponse>(Ok);
        g.MapPost("/embeddings/recognize", RecognizeEmbeddingsAsync).WithSummary("The subjects of embeddings computed elsewhere")
            .Accepts<CompreFaceEmbeddingsRequest>("application/json").WithQuery(CompreFaceEndpoints.FaceQuery.Where(q => q.Name == "prediction_count").ToArray())
            .Produces<CompreFaceEmbeddingsResponse>(Ok).ProducesCompreFaceErrors(TooLarge);
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

    private static async Task<JsonHttpResult<CompreFaceSubject>> CreateSubjectAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var subject = await SubjectOfBodyAsync(context);
        try { await engine.CreateSubjectAsync(gallery, subject, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.Conflict)
        {
            throw new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.SubjectAlreadyExists, $"Subject {subject} already exists");
        }
        return CompatJson.Write(new CompreFaceSubject(subject), StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<CompreFaceSubjects>> ListSubjectsAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        return CompatJson.Write(new CompreFaceSubjects((await engine.ListSubjectsAsync(gallery, ct)).Select(s => s.Name).ToList()));
    }

    private static async Task<JsonHttpResult<CompreFaceUpdated>> RenameSubjectAsync(string subject, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var newName = await SubjectOfBodyAsync(context);
        try { await engine.RenameSubjectAsync(gallery, subject, newName, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoSubject(subject); }
        return CompatJson.Write(new CompreFaceUpdated(true));
    }

    private static async Task<JsonHttpResult<CompreFaceSubject>> DeleteSubjectAsync(string subject, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        try { await engine.DeleteSubjectAsync(gallery, subject, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoSubject(subject); }
        return CompatJson.Write(new CompreFaceSubject(subject));
    }

    private static async Task<JsonHttpResult<CompreFaceDeleted>> DeleteAllSubjectsAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var subjects = await engine.ListSubjectsAsync(gallery, ct);
        foreach (var s in subjects) await engine.DeleteSubjectAsync(gallery, s.Name, ct);
        return CompatJson.Write(new CompreFaceDeleted(subjects.Count));
    }

    private static async Task<JsonHttpResult<CompreFaceExample>> AddExampleAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
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
        return CompatJson.Write(new CompreFaceExample(CompreFaceImageId.Of(face.Id.Face), subject));
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

    private static async Task<JsonHttpResult<CompreFaceExamplePage>> ListExamplesAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var q = context.Request.Query;
        int page = q["page"].ToString() is { Length: > 0 } p ? QueryValues.Int("page", p) : 0;
        int size = q["size"].ToString() is { Length: > 0 } z ? QueryValues.Int("size", z) : 20;
        if (page < 0 || size < 1 || size > GalleryEngine.MaxLimit) throw CompreFaceError.Incorrect($"page must be 0 or more and size 1..{GalleryEngine.MaxLimit}");
        var subject = q["subject"].ToString() is { Length: > 0 } s ? s : null;
        var all = await ExamplesAsync(engine, gallery, subject, ct);
        return CompatJson.Write(new CompreFaceExamplePage(
            all.Skip(page * size).Take(size).Select(f => new CompreFaceExample(CompreFaceImageId.Of(f.Id.Face), f.Subject)).ToList(),
            page, size, (all.Count + size - 1) / size, all.Count));
    }

    private static async Task<JsonHttpResult<CompreFaceDeleted>> DeleteExamplesAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var subject = context.Request.Query["subject"].ToString() is { Length: > 0 } s ? s : null;
        var faces = await ExamplesAsync(engine, gallery, subject, ct);
        foreach (var f in faces) await engine.DeleteFaceAsync(gallery, f.Id.Face, ct);
        return CompatJson.Write(new CompreFaceDeleted(faces.Count));
    }

    private static async Task<JsonHttpResult<CompreFaceExample>> DeleteExampleAsync(string imageId, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var face = await ExampleAsync(engine, gallery, imageId, ct);
        await engine.DeleteFaceAsync(gallery, face.Id.Face, ct);
        return CompatJson.Write(new CompreFaceExample(imageId, face.Subject));
    }

    /// <summary>The example's stored picture: Router keeps the face's thumbnail (the face with a margin, at most 128 px), not the whole upload.</summary>
    private static async Task<FileContentHttpResult> ImageAsync(string imageId, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var face = await ExampleAsync(engine, gallery, imageId, ct);
        try { return TypedResults.Bytes(await engine.GetThumbnailAsync(gallery, face.Id.Face, ct), "image/jpeg"); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoImage(imageId); }
    }

    private static async Task<Face> ExampleAsync(GalleryEngine engine, string gallery, string imageId, CancellationToken ct)
    {
        try { return await engine.GetFaceAsync(gallery, CompreFaceImageId.Parse(imageId), ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.NotFound) { throw CompreFaceError.NoImage(imageId); }
    }

    private static async Task<JsonHttpResult<List<CompreFaceExample>>> DeleteExamplesByIdAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var body = JsonDocument.Parse(await RequestBody.ReadBytesAsync(context)).RootElement;
        if (body.ValueKind != JsonValueKind.Array) throw CompreFaceError.Incorrect("the body must be a JSON array of image ids");
        var deleted = new List<CompreFaceExample>();
        foreach (var item in body.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw CompreFaceError.Incorrect("image ids are strings");
            var imageId = item.GetString()!;
            Face face;
            try { face = await ExampleAsync(engine, gallery, imageId, ct); }
            catch (CompreFaceError) { continue; } // CompreFace answers for the ids it deleted
            await engine.DeleteFaceAsync(gallery, face.Id.Face, ct);
            deleted.Add(new CompreFaceExample(imageId, face.Subject));
        }
        return CompatJson.Write(deleted);
    }

    /// <summary>The best subjects of an embedding on CompreFace's similarity scale; negative examples hold.</summary>
    private static async Task<List<CompreFaceSimilarSubject>> SubjectsAsync(GalleryEngine engine, string gallery, float[] embedding, int count,
        CancellationToken ct) =>
        (await engine.SearchSubjectsAsync(gallery, embedding, 0, count, null, ct))
            .Select(m => new CompreFaceSimilarSubject(m.Subject, CompatSimilarity.FromCosine(m.Confidence)))
            .ToList();

    private static async Task<JsonHttpResult<CompreFaceRecognizeResponse>> RecognizeAsync(HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var faces = request.Select(await photos.DetectAsync(await ImageUpload.ReadAsync(context), ct, request.Features));
        var result = new List<CompreFaceRecognizedFace>();
        foreach (var f in faces)
            result.Add(request.Face<CompreFaceRecognizedFace>(f) with { Subjects = await SubjectsAsync(engine, gallery, f.Facen!, request.PredictionCount, ct) });
        return CompatJson.Write(new CompreFaceRecognizeResponse(result, request.Versions()));
    }

    private static async Task<JsonHttpResult<CompreFaceVerifyResponse>> VerifyAsync(string imageId, HttpContext context, GalleryEngine engine, PhotoFaces photos, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var example = await ExampleAsync(engine, gallery, imageId, ct);
        var stored = await engine.Store.ReadVectorsAsync(gallery, [example.Id.Face], ct);
        if (!stored.TryGetValue(example.Id.Face, out var bytes)) throw CompreFaceError.NoImage(imageId);
        var vector = Router.Galleries.Storage.FaceJson.Vector(bytes).ToArray();
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var faces = request.Select(await photos.DetectAsync(await ImageUpload.ReadAsync(context), ct, request.Features));
        var result = faces.Select(f => request.Face<CompreFaceComparedFace>(f) with
        {
            Similarity = CompatSimilarity.FromCosine(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(f.Facen!, vector)),
        }).ToList();
        return CompatJson.Write(new CompreFaceVerifyResponse(result, request.Versions()));
    }

    private static async Task<JsonHttpResult<CompreFaceEmbeddingsResponse>> RecognizeEmbeddingsAsync(HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var gallery = await GalleryAsync(context, engine, ct);
        var request = CompreFaceRequest.Parse(context.Request.Query);
        var body = await RequestBody.ReadObjectAsync(context);
        if (!body.TryGetProperty("embeddings", out var list) || list.ValueKind != JsonValueKind.Array)
            throw CompreFaceError.Incorrect("the body must be {\"embeddings\": [[...], ...]}");
        var result = new List<CompreFaceEmbeddingResult>();
        foreach (var item in list.EnumerateArray())
        {
            var embedding = item.ValueKind == JsonValueKind.Array ? item.EnumerateArray().Select(x => x.GetSingle()).ToArray()
                : throw CompreFaceError.Incorrect("each embedding is an array of numbers");
            if (embedding.Length != VectorLayout.Dimension) throw CompreFaceError.Incorrect($"an embedding has {VectorLayout.Dimension} numbers, not {embedding.Length}");
            result.Add(new CompreFaceEmbeddingResult(embedding, await SubjectsAsync(engine, gallery, embedding, request.PredictionCount, ct)));
        }
        return CompatJson.Write(new CompreFaceEmbeddingsResponse(result));
    }
}
