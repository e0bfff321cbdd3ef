using System.Text.Json;
using Router.Abstractions;
using Router.Galleries.Engine;
using Router.Host.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Router.Host.Api;

/// <summary><c>/v1/galleries/{name}/faces</c>: add, get, update, delete and list (search) faces.</summary>
public static class FaceEndpoints
{
    public static IEndpointRouteBuilder MapFaceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/galleries/{name}/faces").WithTags("faces").ProducesErrors(400, 401, 404, 503);

        group.MapGet("", async (string name, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
            {
                var q = FaceListQuery.Parse(context.Request.Query);
                return TypedResults.Ok(WireListResponse.From(await engine.ListAsync(name, q.Filters, q.Limit, q.Sort, q.Page, ct)));
            })
            .WithSummary("Faces matching the filters (id.*, meta.KEY.*, looks_like + threshold), sorted and paged")
            .WithQuery(FaceListQuery.Parameters);

        group.MapPost("", (string name, JsonBody<FaceAddRequest> body, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
                AddAsync(name, null, body.Value, context, engine, ct))
            .WithSummary("Add a face with a generated id")
            .ProducesErrors(409, 422);

        group.MapPost("/{id}", (string name, string id, JsonBody<FaceAddRequest> body, HttpContext context, GalleryEngine engine, CancellationToken ct) =>
                AddAsync(name, QueryValues.Long("id", id), body.Value, context, engine, ct))
            .WithSummary("Add a face with this id (409 CONFLICT if taken)")
            .ProducesErrors(409, 422);

        group.MapGet("/{id}", async (string name, string id, GalleryEngine engine, CancellationToken ct) =>
            TypedResults.Ok(await engine.GetFaceAsync(name, QueryValues.Long("id", id), ct)));

        group.MapGet("/{id}/thumbnail", async (string name, string id, GalleryEngine engine, CancellationToken ct) =>
                TypedResults.Bytes(await engine.GetThumbnailAsync(name, QueryValues.Long("id", id), ct), "image/jpeg"))
            .WithSummary("The face's thumbnail (JPEG, at most 128 px), kept when it was enrolled from a photo or an event (404 NOT_FOUND without one)")
            .ProducesJpeg();

        group.MapPatch("/{id}", async (string name, string id, JsonBody<FacePatchRequest> body, GalleryEngine engine, CancellationToken ct) =>
            {
                long faceId = QueryValues.Long("id", id);
                bool hasMeta = body.Raw.TryGetProperty("meta", out var metaJson) && metaJson.ValueKind != JsonValueKind.Null;
                bool hasSubject = body.Raw.TryGetProperty("subject", out _);
                if (!hasMeta && !hasSubject)
                    throw RouterException.BadParam("meta", null, "PATCH needs {\"meta\":{...}} and/or {\"subject\": \"name\" or null}");
                Face? face = null;
                if (hasMeta)
                {
                    var meta = new Dictionary<string, MetaValue?>();
                    foreach (var (key, value) in body.Value.Meta!)
                        meta[key] = value.ValueKind == JsonValueKind.Null ? (MetaValue?)null : MetaValue.FromJson(value, "meta." + key);
                    face = await engine.UpdateFaceAsync(name, faceId, meta, ct);
                }
                if (hasSubject) face = await engine.SetFaceSubjectAsync(name, faceId, body.Value.Subject, ct);
                return TypedResults.Ok(face!);
            })
            .WithSummary("Set the given meta keys (null values leave a key as it is) and/or move the face to a subject (null: out of any)");

        group.MapDelete("/{id}", async (string name, string id, GalleryEngine engine, CancellationToken ct) =>
            {
                await engine.DeleteFaceAsync(name, QueryValues.Long("id", id), ct);
                return TypedResults.NoContent();
            });

        return app;
    }

    private static async Task<Created<Face>> AddAsync(string name, long? id, FaceAddRequest body, HttpContext context, GalleryEngine engine, CancellationToken ct)
    {
        if (body.From is null)
            throw RouterException.BadParam("from", null, "'from' must be 'detection:<id>', 'face:<gallery>/<id>' or 'event:<id>'");
        // From an event: its cached detection, and its face crop as the thumbnail.
        byte[]? thumbnail = null;
        FaceSource source;
        if (body.From.StartsWith("event:", StringComparison.Ordinal))
        {
            (source, var routed) = EventSource(body.From, context.RequestServices.GetService<EventFeed>());
            if (!routed.Face0.IsEmpty) thumbnail = routed.Face0.ToArray();
        }
        else source = FaceSource.Parse(body.From);
        var meta = FaceAddRequest.MetaOf(body.Meta);
        var face = await engine.AddFaceAsync(name, id, source, meta, body.RegenerateAttempts ?? 0, ct,
            enrollmentGate: body.Force != true, subject: body.Subject, thumbnail: thumbnail);
        return TypedResults.Created($"/v1/galleries/{name}/faces/{face.Id.Face}", face);
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
