using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Events;

namespace Router.Host.Api;

/// <summary>
/// <c>/v1/events</c>: the recent routed face events (newest first), a live server-sent
/// events stream of them, and each recent event's face crop.
/// </summary>
public static class EventsEndpoints
{
    public const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("events").ProducesErrors(400, 401);

        group.MapGet("", (HttpRequest request, EventFeed feed, FaceEventRouter router, IOptions<EventsOptions> options) =>
            {
                var q = request.Query;
                var camId = q["cam_id"].ToString() is { Length: > 0 } c ? c : null;
                var since = q["since"].ToString() is { Length: > 0 } s ? ParseSince(s) : (DateTimeOffset?)null;
                var until = q["until"].ToString() is { Length: > 0 } u ? ParseSince(u, "until") : (DateTimeOffset?)null;
                int limit = DefaultLimit;
                if (q["limit"].ToString() is { Length: > 0 } l)
                {
                    limit = QueryValues.Int("limit", l);
                    if (limit < 1 || limit > options.Value.RingSize)
                        throw RouterException.BadParam("limit", l, $"limit must be 1..{options.Value.RingSize}");
                }
                var counts = router.Counters;
                // With what happened to every face the cameras posted since start: an operator's first question.
                return TypedResults.Ok(new WireEvents(feed.Recent(camId, since, limit, until),
                    new WireEventRouting(counts.Accepted, counts.Routed, counts.Failed, counts.Refused, router.QueueDepth, feed.Subscribers)));
            })
            .WithSummary("Recent events, newest first; cam_id, since and until (ISO-8601 or unix seconds), limit")
            .WithQuery(
                new("cam_id", Microsoft.OpenApi.JsonSchemaType.String, "only this camera's events"),
                new("since", Microsoft.OpenApi.JsonSchemaType.String, "events at or after: ISO-8601 or unix seconds"),
                new("until", Microsoft.OpenApi.JsonSchemaType.String, "events before: ISO-8601 or unix seconds"),
                new("limit", Microsoft.OpenApi.JsonSchemaType.Integer, "events at most (default 100, up to Events:RingSize)"));

        group.MapGet("/stream", StreamAsync)
            .WithSummary("Server-sent events: one 'data: {json}' per routed event, heartbeat comments when idle")
            .Produces<RoutedEvent>(StatusCodes.Status200OK, "text/event-stream")
            .WithQuery(new QueryParameterMetadata("cam_id", Microsoft.OpenApi.JsonSchemaType.String, "only this camera's events"));

        group.MapGet("/{id}/frame", (string id, EventFeed feed, EventFrames frames) =>
            {
                if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId))
                    throw RouterException.BadParam("id", id, "an event id is an unsigned integer");
                var frame = frames.Find(eventId)
                    ?? throw new RouterException(ErrorCodes.NotFound, $"the frame of event {id} is no longer kept (Events:FrameMemoryBytes)", "id", id);
                return TypedResults.Bytes(frame, "image/jpeg");
            })
            .WithSummary("The full frame (JPEG) of a recent event, while Events:FrameMemoryBytes keeps it; the event's bbox is in its pixels")
            .ProducesJpeg()
            .ProducesErrors(404);

        group.MapGet("/{id}/face", (string id, EventFeed feed) =>
            {
                if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId))
                    throw RouterException.BadParam("id", id, "an event id is an unsigned integer");
                var e = feed.Find(eventId) ?? throw new RouterException(ErrorCodes.NotFound, $"event {id} is not among the recent events", "id", id);
                if (e.Face0.IsEmpty) throw new RouterException(ErrorCodes.NotFound, $"event {id} has no face crop", "id", id);
                return TypedResults.Bytes(e.Face0, "image/jpeg");
            })
            .WithSummary("The normalized face crop (JPEG) of a recent event")
            .ProducesJpeg()
            .ProducesErrors(404);

        return app;
    }

    /// <summary>ISO-8601 (a time without offset is UTC) or unix seconds; anything else is BAD_PARAM.</summary>
    public static DateTimeOffset ParseSince(string value, string param = "since")
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (!double.IsFinite(seconds) || seconds < 0 || seconds > 253402300799)
                throw RouterException.BadParam(param, value, "unix seconds must be 0..253402300799");
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            && value.Contains('T') | value.Contains('-'))
            return t;
        throw RouterException.BadParam(param, value, $"{param} is an ISO-8601 time (2025-01-31T12:00:00Z) or unix seconds");
    }

    private static async Task StreamAsync(HttpContext context, EventFeed feed, IOptions<EventsOptions> options, IHostApplicationLifetime lifetime)
    {
        var camId = context.Request.Query["cam_id"].ToString() is { Length: > 0 } c ? c : null;
        using var subscription = feed.Subscribe(camId);
        // Ends on client disconnect and on host shutdown (Kestrel waits for open responses otherwise).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var heartbeat = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
        try
        {
            await response.WriteAsync(": connected\n\n", ct);
            await response.Body.FlushAsync(ct);
            var reader = subscription.Reader;
            while (!ct.IsCancellationRequested)
            {
                bool ready;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    wait.CancelAfter(heartbeat);
                    try { ready = await reader.WaitToReadAsync(wait.Token); }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await response.WriteAsync(": heartbeat\n\n", ct);
                        await response.Body.FlushAsync(ct);
                        continue;
                    }
                }
                if (!ready) break;
                while (reader.TryRead(out var e))
                {
                    var json = JsonSerializer.Serialize(e, RouterJson.Options);
                    await response.WriteAsync($"id: {e.Id}\nevent: face\ndata: {json}\n\n", ct);
                }
                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away or the host is stopping: the stream simply ends.
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }
}

/// <summary>The body of <c>GET /v1/events</c>: recent events, newest first, and the routing counters since start.</summary>
public sealed record WireEvents(IReadOnlyList<RoutedEvent> Events, WireEventRouting Routing);

/// <summary>Faces the cameras posted since start: accepted for routing, routed, failed, refused (queue full), queued now; live stream subscribers.</summary>
public sealed record WireEventRouting(long Accepted, long Routed, long Failed, long Refused, int Queued, int Subscribers);
