using System.Text.Json;
using Router.Abstractions;
using Router.Galleries.Engine;
using Router.Host.Events;

namespace Router.Host.Api;

/// <summary><c>/v1/galleries/{name}/faces</c>: add, get, update, delete and list (search) faces.</summary>
public static class FaceEndpoints
{
    public static IEndpointRouteBuilder MapFaceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/galleries/{name}/faces").WithTags("faces");

        group.MapGet("", async (string name, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
            {
                var q = FaceListQuery.Parse(context.Request.Query);
                return Results.Json(WireListResponse.From(await engine.ListAsync(name, q.Filters, q.Limit, q.Sort, q.Page, ct)), RouterJson.Options);
            })
            .WithSummary("Faces matching the filters (id.*, meta.KEY.*, looks_like + threshold), sorted and paged");

        group.MapPost("", (string name, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
                AddAsync(name, null, context, engine, ct))
            .WithSummary("Add a face with a generated id");

        group.MapPost("/{id}", (string name, string id, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
                AddAsync(name, QueryValues.Long("id", id), context, engine, ct))
            .WithSummary("Add a face with this id (409 CONFLICT if taken)");

        group.MapGet("/{id}", async (string name, string id, GalleryEngine engine, CancellationToken ct) =>
            Results.Json(await engine.GetFaceAsync(name, QueryValues.Long("id", id), ct), RouterJson.Options));

        group.MapGet("/{id}/thumbnail", async (string name, string id, GalleryEngine engine, CancellationToken ct) =>
                Results.Bytes(await engine.GetThumbnailAsync(name, QueryValues.Long("id", id), ct), "image/jpeg"))
            .WithSummary("The face's thumbnail (JPEG, at most 128 px), kept when it was enrolled from a photo or an event (404 NOT_FOUND without one)");

        group.MapPatch("/{id}", async (string name, string id, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
            {
                long faceId = QueryValues.Long("id", id);
                var body = await RequestBody.ReadObjectAsync(context);
                bool hasMeta = body.TryGetProperty("meta", out var metaJson);
                bool hasSubject = body.TryGetProperty("subject", out var subjectJson);
                if ((!hasMeta && !hasSubject) || (hasMeta && metaJson.ValueKind != JsonValueKind.Object))
                    throw RouterException.BadParam("meta", hasMeta ? metaJson.GetRawText() : null, "PATCH needs {\"meta\":{...}} and/or {\"subject\": \"name\" or null}");
                if (hasSubject && subjectJson.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    throw RouterException.BadParam("subject", subjectJson.GetRawText(), "subject must be a name, or null to take the face out of its subject");
                Face? face = null;
                if (hasMeta)
                {
                    var meta = new Dictionary<string, MetaValue?>();
                    foreach (var p in metaJson.EnumerateObject())
                        meta[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? (MetaValue?)null : MetaValue.FromJson(p.Value, "meta." + p.Name);
                    face = await engine.UpdateFaceAsync(name, faceId, meta, ct);
                }
                if (hasSubject) face = await engine.SetFaceSubjectAsync(name, faceId, subjectJson.GetString(), ct);
                return Results.Json(face, RouterJson.Options);
            })
            .WithSummary("Set the given meta keys (null values leave a key as it is) and/or move the face to a subject (null: out of any)");

        group.MapDelete("/{id}", async (string name, string id, GalleryEngine engine, CancellationToken ct) =>
            {
                await engine.DeleteFaceAsync(name, QueryValues.Long("id", id), ct);
                return Results.NoContent();
            });

        return app;
    }

    private static async Task<IResult> AddAsync(string name, long? id, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        var body = await RequestBody.ReadObjectAsync(context);
        if (!body.TryGetProperty("from", out var from) || from.ValueKind != JsonValueKind.String)
            throw RouterException.BadParam("from", from.ValueKind == JsonValueKind.Undefined ? null : from.GetRawText(),
                "'from' must be 'detection:<id>', 'face:<gallery>/<id>' or 'event:<id>'");
        // From an event: its cached detection, and its face crop as the thumbnail.
        byte[]? thumbnail = null;
        FaceSource source;
        if (from.GetString()!.StartsWith("event:", StringComparison.Ordinal))
        {
            (source, var routed) = EventSource(from.GetString()!, context.RequestServices.GetService<EventFeed>());
            if (!routed.Face0.IsEmpty) thumbnail = routed.Face0.ToArray();
        }
        else source = FaceSource.Parse(from.GetString()!);
        var meta = new Dictionary<string, MetaValue>();
        if (body.TryGetProperty("meta", out var metaJson) && metaJson.ValueKind != JsonValueKind.Null)
        {
            if (metaJson.ValueKind != JsonValueKind.Object) throw RouterException.BadParam("meta", metaJson.GetRawText(), "meta must be an object");
            foreach (var p in metaJson.EnumerateObject())
                if (p.Value.ValueKind != JsonValueKind.Null)
                    meta[p.Name] = MetaValue.FromJson(p.Value, "meta." + p.Name);
        }
        int attempts = 0;
        if (body.TryGetProperty("regenerate_attempts", out var ra) && ra.ValueKind != JsonValueKind.Null)
            attempts = ra.ValueKind == JsonValueKind.Number && ra.TryGetInt32(out var n) ? n
                : throw RouterException.BadParam("regenerate_attempts", ra.GetRawText(), "expected an integer");
        var force = false;
        if (body.TryGetProperty("force", out var forceJson) && forceJson.ValueKind != JsonValueKind.Null)
            force = forceJson.ValueKind is JsonValueKind.True or JsonValueKind.False ? forceJson.GetBoolean()
                : throw RouterException.BadParam("force", forceJson.GetRawText(), "force must be true or false");
        string? subject = null;
        if (body.TryGetProperty("subject", out var subjectJson) && subjectJson.ValueKind != JsonValueKind.Null)
            subject = subjectJson.ValueKind == JsonValueKind.String ? subjectJson.GetString()
                : throw RouterException.BadParam("subject", subjectJson.GetRawText(), "subject must be a name");
        var face = await engine.AddFaceAsync(name, id, source, meta, attempts, ct, enrollmentGate: !force, subject: subject, thumbnail: thumbnail);
        return Results.Json(face, RouterJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// The cached detection of a recent event named by <c>event:ID</c> (the console's "enroll this face" and
    /// "not them"), with the event; SOURCE_NOT_FOUND when it left the ring or no plugin asked for its embedding.
    /// </summary>
    internal static (FaceSource Source, RoutedEvent Event) EventSource(string text, EventFeed? feed)
    {
        var e = RecentEvent(text, feed);
        return e.DetectionId is { } detection ? (FaceSource.FromDetection(detection), e)
            : throw new RouterException(ErrorCodes.SourceNotFound, $"event {e.Id} has no embedding (no plugin asked for facen)", "from", text);
    }

    private static RoutedEvent RecentEvent(string text, EventFeed? feed)
    {
        var id = text["event:".Length..];
        if (feed is null) throw RouterException.BadParam("from", text, "this server routes no events");
        if (!ulong.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var eventId))
            throw RouterException.BadParam("from", text, "an event id is an unsigned integer");
        return feed.Find(eventId) ?? throw new RouterException(ErrorCodes.SourceNotFound, $"event {id} is not among the recent events", "from", text);
    }
}
