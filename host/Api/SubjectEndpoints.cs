using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Router.Abstractions;
using Router.Galleries.Engine;
using Router.Host.Events;
using Router.Host.Galleries;

namespace Router.Host.Api;

/// <summary>
/// <c>/v1/galleries/{name}/subjects</c>: the persons of a gallery. List, create, rename (onto an
/// existing subject: merge), delete with their faces; enroll from several photos; per-subject
/// search (<c>?looks_like=…</c>); and negative examples, "this is not X".
/// </summary>
public static class SubjectEndpoints
{
    public const int DefaultMatches = 10;

    public static IEndpointRouteBuilder MapSubjectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/galleries/{name}/subjects").WithTags("subjects").ProducesErrors(400, 401, 404, 503);

        group.MapGet("", async Task<Results<Ok<WireSubjects>, Ok<WireSubjectMatches>>> (string name, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
            {
                var q = SubjectSearchQuery.Parse(context.Request.Query);
                if (q is null) return TypedResults.Ok(new WireSubjects(await engine.ListSubjectsAsync(name, ct)));
                var matches = await engine.SearchSubjectsAsync(name, q.Query, q.Threshold, q.Limit, q.Filters, ct);
                return TypedResults.Ok(new WireSubjectMatches(matches));
            })
            .WithSummary("Every subject; with looks_like (+ threshold, limit, id/meta filters) the best-matching face of each subject, best first, " +
                         "leaving out subjects vetoed by a negative example")
            .WithQuery(
                new("looks_like", Microsoft.OpenApi.JsonSchemaType.String, "detection:<id> or face:<gallery>/<id>; without it (and any other key) the subjects are listed"),
                new("threshold", Microsoft.OpenApi.JsonSchemaType.Number, "lowest similarity of a subject's best face (default: the identification threshold)"),
                new("limit", Microsoft.OpenApi.JsonSchemaType.Integer, "subjects at most (default 10)"),
                new("subject", Microsoft.OpenApi.JsonSchemaType.String, "only these subjects", Repeated: true));

        group.MapGet("/{subject}", async (string name, string subject, GalleryEngine engine, CancellationToken ct) =>
            TypedResults.Ok(await engine.GetSubjectAsync(name, Decode(subject), ct)));

        group.MapPost("/{subject}", async (string name, string subject, GalleryEngine engine, CancellationToken ct) =>
                TypedResults.Created((string?)null, await engine.CreateSubjectAsync(name, Decode(subject), ct)))
            .WithSummary("Create a subject with no faces yet (409 CONFLICT if it exists)")
            .ProducesErrors(409);

        group.MapPatch("/{subject}", async (string name, string subject, JsonBody<SubjectRenameRequest> body, GalleryEngine engine, CancellationToken ct) =>
            {
                var newName = body.Value.Name ?? throw RouterException.BadParam("name", null, "PATCH needs {\"name\": \"new name\"}");
                return TypedResults.Ok(await engine.RenameSubjectAsync(name, Decode(subject), newName, ct));
            })
            .WithSummary("Rename a subject; renaming onto an existing subject merges the two");

        group.MapDelete("/{subject}", async (string name, string subject, GalleryEngine engine, CancellationToken ct) =>
                TypedResults.Ok(new WireSubjectDeleted(Decode(subject), await engine.DeleteSubjectAsync(name, Decode(subject), ct))))
            .WithSummary("Delete a subject with all its faces and negative examples");

        group.MapPost("/{subject}/photos", EnrollAsync)
            .WithSummary("Enroll a subject from one or several photos (multipart files, or JSON {\"photos\": [base64...]}): " +
                         "the biggest face of each photo (or the one at ?box=l,t,r,b), each accepted or refused on its own; ?force=true skips the enrollment gate")
            .WithQuery(
                new("force", Microsoft.OpenApi.JsonSchemaType.Boolean, "skip the enrollment gate (quality, size, pose)"),
                new("box", Microsoft.OpenApi.JsonSchemaType.String, "left,top,right,bottom: the face to take in a photo of several people"))
            .AcceptsImages()
            .ProducesErrors(413, 503);

        group.MapGet("/{subject}/negatives", async (string name, string subject, GalleryEngine engine, CancellationToken ct) =>
            TypedResults.Ok(new WireNegatives(await engine.ListNegativesAsync(name, Decode(subject), ct))));

        group.MapPost("/{subject}/negatives", async (string name, string subject, JsonBody<NegativeAddRequest> body, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
            {
                var from = body.Value.From ?? throw RouterException.BadParam("from", null, "'from' must be 'event:<id>', 'detection:<id>' or 'face:<gallery>/<id>'");
                // The event feed exists where cameras run (router run), not in a gallery-only server.
                var source = NegativeSource(from, context.RequestServices.GetService<EventFeed>());
                return TypedResults.Created((string?)null, await engine.AddNegativeAsync(name, Decode(subject), source, ct));
            })
            .WithSummary("\"This is not the subject\": store the face of an event, detection or stored face as a negative example; " +
                         "per-subject searches and Watchlist then stop reporting the subject for faces closer to it than to the subject");

        group.MapDelete("/{subject}/negatives/{id}", async (string name, string subject, string id, GalleryEngine engine, CancellationToken ct) =>
            {
                await engine.DeleteNegativeAsync(name, Decode(subject), QueryValues.Long("id", id), ct);
                return TypedResults.NoContent();
            });

        return app;
    }

    /// <summary><c>event:ID</c> (a recent event whose embedding was computed) or any face source.</summary>
    private static FaceSource NegativeSource(string text, EventFeed? feed)
    {
        if (!text.StartsWith("event:", StringComparison.Ordinal)) return FaceSource.Parse(text);
        return FaceEndpoints.EventSource(text, feed).Source;
    }

    private static BBox ParseBox(string text)
    {
        var p = text.Split(',');
        var v = new int[4];
        return p.Length == 4 && Enumerable.Range(0, 4).All(i => int.TryParse(p[i], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out v[i]))
            ? new BBox(v[0], v[1], v[2], v[3])
            : throw RouterException.BadParam("box", text, "box is left,top,right,bottom in pixels of the upright photo");
    }

    /// <summary>
    /// Route values arrive decoded except for <c>%2F</c>, which ASP.NET Core keeps so that it cannot split a
    /// path; decoding it here makes a name with '/' the BAD_PARAM it is everywhere else.
    /// </summary>
    private static string Decode(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task<Ok<WireEnrollment>> EnrollAsync(string name, string subject, HttpContext context, GalleryEngine engine, PhotoFaces photos,
        CancellationToken ct)
    {
        subject = Decode(subject);
        bool force = context.Request.Query["force"].ToString() is { Length: > 0 } f && QueryValues.Bool("force", f);
        // box=left,top,right,bottom: the face the operator picked in a photo of several people.
        BBox? box = context.Request.Query["box"].ToString() is { Length: > 0 } b ? ParseBox(b) : null;
        foreach (var key in context.Request.Query.Keys)
            if (key is not ("force" or "box")) throw RouterException.BadParam(key, context.Request.Query[key].ToString(), "unknown query parameter");
        Router.Galleries.Subjects.SubjectNames.Check(subject);
        await engine.GetIndexAsync(name, ct); // GALLERY_NOT_FOUND before any detection work
        var results = new List<WireEnrolledPhoto>();
        foreach (var (label, image) in await ImageUpload.ReadManyAsync(context))
        {
            try
            {
                var face = box is { } at ? await photos.AtAsync(image, at, ct) : await photos.BiggestAsync(image, ct);
                var added = await engine.AddFaceAsync(name, null, FaceSource.FromDetection(face.Id!), null, 3, ct, enrollmentGate: !force, subject: subject,
                    thumbnail: FaceThumbnail.FromPhoto(image, face.BBox));
                results.Add(new WireEnrolledPhoto(label, "accepted", added, null));
            }
            catch (RouterException e) when (e.Code is not (ErrorCodes.StorageError or ErrorCodes.GalleryNotFound or ErrorCodes.CacheError))
            {
                results.Add(new WireEnrolledPhoto(label, "refused", null, ApiErrors.From(e)));
            }
        }
        var info = (await engine.ListSubjectsAsync(name, ct)).FirstOrDefault(s => s.Name == subject);
        return TypedResults.Ok(new WireEnrollment(subject, info?.Faces ?? 0, results));
    }
}

/// <summary>One photo of an enrollment: accepted with the face it added, or refused with the error.</summary>
public sealed record WireEnrolledPhoto(string Photo, string Status, Face? Face, WireError? Error);

/// <summary>The answer of an enrollment: the subject, how many faces it has now, and each photo's outcome.</summary>
public sealed record WireEnrollment(string Subject, int Faces, IReadOnlyList<WireEnrolledPhoto> Photos);
