using System.Globalization;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Plugins.Watchlist;

/// <summary>
/// Watchlist: raises an alert when a face matches someone in the watched galleries.
/// <para>
/// For every face it asks for Facen, searches each configured gallery at the threshold (per
/// subject where faces belong to subjects, so an operator's "this is not X" holds), and for the
/// best match logs it and POSTs a JSON webhook (gallery, face id,
/// meta, confidence, camera, time, face crop as base64 JPEG). Webhooks go through a bounded
/// background queue with exponential back-off retries: a slow or dead receiver never slows the
/// pipeline; when the queue is full the alert is dropped and counted.
/// </para>
/// Settings (<c>Plugins:Items:watchlist:Settings</c>):
/// <list type="bullet">
/// <item><c>galleries</c>: the galleries to search (list, required)</item>
/// <item><c>threshold</c>: cosine similarity for a match (default <see cref="MatchThresholds.Identification"/>: FAR 1e-5 per comparison on
/// the shipped calibration, so a stranger searched against 1,000 watched faces raises a false alarm about 1% of the time)</item>
/// <item><c>webhook:url</c>: where alerts are POSTed (optional: without it alerts are only logged)</item>
/// <item><c>webhook:retries</c> (default 5), <c>webhook:backoff</c> (first delay, default 0.5 s, doubling),
/// <c>webhook:queue</c> (default 1000), <c>webhook:timeout</c> (default 10 s)</item>
/// <item><c>cameras</c>: only faces from these cameras (list, optional)</item>
/// </list>
/// </summary>
public sealed class WatchlistPlugin : IFaceRouterPlugin
{
    private readonly IPluginContext _context;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<string> _galleries;
    private readonly HashSet<string> _cameras;
    private readonly double _threshold;
    private readonly WebhookSender? _webhook;
    private long _matches;

    public WatchlistPlugin(IPluginContext context, ILogger<WatchlistPlugin> logger)
    {
        _context = context;
        _logger = logger;
        var s = context.Settings;
        _galleries = s.GetList("galleries");
        if (_galleries.Count == 0) throw RouterException.BadParam("galleries", null, "watchlist needs at least one gallery in settings 'galleries'");
        _threshold = s.GetDouble("threshold", MatchThresholds.Identification);
        if (_threshold is <= 0 or > 1) throw RouterException.BadParam("threshold", _threshold, "threshold must be in (0, 1]");
        _cameras = new HashSet<string>(s.GetList("cameras"), StringComparer.Ordinal);
        if (s.GetString("webhook:url") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw RouterException.BadParam("webhook:url", url, "webhook:url must be an absolute http(s) URL");
            _webhook = new WebhookSender(uri, s.GetInt("webhook:queue", 1000), s.GetInt("webhook:retries", 5),
                s.GetDuration("webhook:backoff", TimeSpan.FromSeconds(0.5)), s.GetDuration("webhook:timeout", TimeSpan.FromSeconds(10)), logger);
        }
    }

    /// <summary>Matches found so far.</summary>
    public long Matches => Interlocked.Read(ref _matches);

    /// <summary>The webhook queue's counters (null without a webhook).</summary>
    public WebhookSender? Webhook => _webhook;

    public ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        ValueTask.FromResult(_cameras.Count == 0 || _cameras.Contains(request.CamId) ? FaceFeatures.Facen : FaceFeatures.None);

    public async ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct)
    {
        Face? best = null;
        foreach (var gallery in _galleries)
        {
            Face? found;
            try
            {
                found = await _context.Galleries.Gallery(gallery).IdentifyAsync(detection, _threshold, ct).ConfigureAwait(false);
            }
            catch (RouterException e) when (e.Code == ErrorCodes.GalleryNotFound)
            {
                _logger.LogWarning("Watchlist gallery {Gallery} does not exist", gallery);
                continue;
            }
            if (found is not null && (best is null || found.Confidence > best.Confidence))
                best = found;
        }
        if (best is null) return;

        Interlocked.Increment(ref _matches);
        // Operators read names, not ids: the subject, else the face's "name" meta.
        var name = best.DisplayName() ?? "(no name)";
        _logger.LogInformation("Watchlist match: event {EventId} on {CamId} is {Name} {Face} (confidence {Confidence:F3}, FAR {Far:0.#e0})",
            eventId, request.CamId, name, best.Id, best.Confidence, best.Far);
        _context.Annotate(eventId, new Dictionary<string, string>
        {
            ["match"] = name,
            ["face"] = best.Id.ToString(),
            ["confidence"] = (best.Confidence ?? 0).ToString("F3", CultureInfo.InvariantCulture),
            ["far"] = (best.Far ?? 1).ToString("0.#e0", CultureInfo.InvariantCulture),
        });
        _webhook?.TryEnqueue(new WatchlistAlert
        {
            EventId = eventId.ToString(CultureInfo.InvariantCulture),
            Gallery = best.Id.Gallery,
            Subject = best.Subject,
            FaceId = best.Id.Face,
            Meta = best.Meta,
            Confidence = best.Confidence ?? 0,
            Far = best.Far ?? 1,
            CamId = request.CamId,
            Timestamp = request.Timestamp,
            Bbox = [bbox.Left, bbox.Top, bbox.Right, bbox.Bottom],
            Face0 = request.Face0.IsEmpty ? null : Convert.ToBase64String(request.Face0.Span),
        });
    }

    public async ValueTask ShutdownAsync(CancellationToken ct)
    {
        if (_webhook is not null) await _webhook.DisposeAsync(ct).ConfigureAwait(false);
    }
}
