using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Plugins.Visitors;

/// <summary>
/// Visitors: groups the faces of people nobody knows, and counts their visits.
/// <para>
/// A face that matches no one in the watchlist galleries is searched in the visitors gallery
/// (created if missing) with a Detection filter. A new person is added with a generated id, the
/// stable subject <c>visitor-ID</c> (renamed by an operator once they know who it is), and meta <c>cam_id</c>, <c>first_seen</c>, <c>last_seen</c>, <c>visits</c> = 1; a known one gets
/// <c>last_seen</c> updated and <c>visits</c> incremented, except within <c>debounce</c> of the
/// previous sighting: one pass in front of a camera yields many faces and must count once.
/// Times are unix seconds (so Meta(...).Gte/Lte filters work on them).
/// </para>
/// Settings: <c>gallery</c> (default "visitors"), <c>watchlist_galleries</c> (list: faces that
/// match these are not visitors), <c>threshold</c> (default <see cref="MatchThresholds.Grouping"/>, chosen with
/// router eval's grouping simulation on real photos: README, "Recognition defaults"), <c>debounce</c> (default 00:05:00).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the host ends a plugin with ShutdownAsync, which releases it")]
public sealed class VisitorsPlugin : IFaceRouterPlugin
{
    /// <summary>Subjects of visitors are "visitor-" and the id of their first face.</summary>
    public const string SubjectPrefix = "visitor-";

    private readonly IPluginContext _context;
    private readonly ILogger _logger;
    private readonly string _gallery;
    private readonly IReadOnlyList<string> _known;
    private readonly double _threshold;
    private readonly TimeSpan _debounce;
    // Faces arrive concurrently: one lock per visitors gallery keeps "search, then add" from
    // adding the same new person twice.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<long, DateTimeOffset> _lastCounted = new();
    private volatile bool _galleryReady;

    public VisitorsPlugin(IPluginContext context, ILogger<VisitorsPlugin> logger)
    {
        _context = context;
        _logger = logger;
        var s = context.Settings;
        _gallery = s.GetString("gallery", "visitors")!;
        _known = s.GetList("watchlist_galleries");
        _threshold = s.GetDouble("threshold", MatchThresholds.Grouping);
        _debounce = s.GetDuration("debounce", TimeSpan.FromMinutes(5));
    }

    public ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        ValueTask.FromResult(FaceFeatures.Facen);

    public async ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct)
    {
        foreach (var known in _known)
        {
            try
            {
                if (await _context.Galleries.Gallery(known).IdentifyAsync(detection, _threshold, ct).ConfigureAwait(false) is not null)
                    return; // a known person, not a visitor
            }
            catch (RouterException e) when (e.Code == ErrorCodes.GalleryNotFound) { }
        }

        var gallery = _context.Galleries.Gallery(_gallery);
        var seen = request.Timestamp == default ? DateTimeOffset.UtcNow : request.Timestamp;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await EnsureGalleryAsync(gallery, ct).ConfigureAwait(false);
            var found = await gallery.ListAsync([Filters.Detection(detection, _threshold)], limit: 1, ct: ct).ConfigureAwait(false);
            if (found.Results.Count == 0)
            {
                var meta = new Dictionary<string, MetaValue>
                {
                    ["cam_id"] = request.CamId,
                    ["first_seen"] = seen.ToUnixTimeSeconds(),
                    ["last_seen"] = seen.ToUnixTimeSeconds(),
                    ["visits"] = 1,
                };
                Face? face = null;
                for (int attempt = 0; face is null; attempt++)
                {
                    // The visitor's subject is named after its first face, so it stays the same on every return
                    // and an operator can rename it to the person's name once they know it.
                    long id = _context.IdGenerator.NextId();
                    try { face = await gallery.AddAsync(id, detection, meta, 0, ct, subject: SubjectPrefix + id.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false); }
                    catch (RouterException e) when (e.Code == ErrorCodes.Conflict && attempt < 3) { }
                }
                _lastCounted[face.Id.Face] = seen;
                _context.Annotate(eventId, new Dictionary<string, string> { ["visitor"] = face.Subject!, ["visits"] = "1", ["new"] = "true" });
                _logger.LogInformation("New visitor {Subject} on {CamId} (event {EventId})", face.Subject, request.CamId, eventId);
                return;
            }

            var visitor = found.Results[0];
            var last = _lastCounted.TryGetValue(visitor.Id.Face, out var l) ? l
                : visitor.Meta.TryGetValue("last_seen", out var ls) && ls.Kind == MetaKind.Int ? DateTimeOffset.FromUnixTimeSeconds(ls.AsInt) : DateTimeOffset.MinValue;
            var counts = seen - last >= _debounce;
            long visits = visitor.Meta.TryGetValue("visits", out var v) && v.Kind == MetaKind.Int ? v.AsInt : 0;
            var update = new Dictionary<string, MetaValue?> { ["last_seen"] = seen.ToUnixTimeSeconds() };
            if (counts) update["visits"] = visits + 1;
            await gallery.UpdateAsync(visitor.Id.Face, update, ct).ConfigureAwait(false);
            // The debounce window runs from the last sighting: someone lingering in view stays one visit.
            _lastCounted[visitor.Id.Face] = seen;
            _context.Annotate(eventId, new Dictionary<string, string>
            {
                ["visitor"] = visitor.Subject ?? visitor.Id.ToString(),
                ["visits"] = (counts ? visits + 1 : visits).ToString(CultureInfo.InvariantCulture),
                ["new"] = "false",
            });
            if (counts)
                _logger.LogInformation("Visitor {Subject} back on {CamId}: visit {Visits}", visitor.Subject ?? visitor.Id.ToString(), request.CamId, visits + 1);
        }
        finally { _gate.Release(); }
    }

    public ValueTask ShutdownAsync(CancellationToken ct)
    {
        _gate.Dispose(); // nothing runs after ShutdownAsync: the host drained this instance first
        return ValueTask.CompletedTask;
    }

    private async Task EnsureGalleryAsync(IGallery gallery, CancellationToken ct)
    {
        if (_galleryReady) return;
        try { await gallery.CreateAsync(ct).ConfigureAwait(false); }
        catch (RouterException e) when (e.Code == ErrorCodes.Conflict) { }
        _galleryReady = true;
    }
}
