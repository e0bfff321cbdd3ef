using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Plugins.EventLog;

/// <summary>
/// EventLog: keeps every face event on disk for a retention period, for the host's events API
/// and for operators.
/// <para>
/// File layout under the plugin's DataDirectory, one folder per UTC day:
/// <c>YYYY-MM-DD/events.jsonl</c> (one <see cref="EventRecord"/> per line, snake_case JSON),
/// <c>YYYY-MM-DD/EVENTID.face.jpg</c> (face0) and, with <c>keep_photo</c>, <c>EVENTID.photo.jpg</c>.
/// Whole day folders older than <c>retention</c> are deleted by a background pruner.
/// <see cref="EventLogReader"/> queries this layout (the host's GET /v1/events uses it).
/// </para>
/// Settings: <c>retention</c> (default 7.00:00:00), <c>keep_photo</c> (default false),
/// <c>features</c> (FaceFeatures to record, default "Detection": no model runs for the log itself).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the host ends a plugin with ShutdownAsync, which releases them")]
public sealed class EventLogPlugin : IFaceRouterPlugin
{
    private readonly ILogger _logger;
    private readonly string _root;
    private readonly TimeSpan _retention;
    private readonly bool _keepPhoto;
    private readonly FaceFeatures _features;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pruner;

    public EventLogPlugin(IPluginContext context, ILogger<EventLogPlugin> logger)
    {
        _logger = logger;
        _root = context.DataDirectory;
        var s = context.Settings;
        _retention = s.GetDuration("retention", TimeSpan.FromDays(7));
        _keepPhoto = s.GetBool("keep_photo", false);
        _features = Enum.TryParse<FaceFeatures>(s.GetString("features", "Detection"), true, out var f) ? f | FaceFeatures.Detection
            : throw RouterException.BadParam("features", s.GetString("features"), "features must be FaceFeatures names, comma-separated");
        Directory.CreateDirectory(_root);
        _pruner = Task.Run(() => PruneLoopAsync(_stop.Token));
    }

    public ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        ValueTask.FromResult(_features);

    public async ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct)
    {
        var time = request.Timestamp == default ? DateTimeOffset.UtcNow : request.Timestamp.ToUniversalTime();
        var day = Path.Combine(_root, time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(day);
        var id = eventId.ToString(CultureInfo.InvariantCulture);
        if (!request.Face0.IsEmpty) await File.WriteAllBytesAsync(Path.Combine(day, id + ".face.jpg"), request.Face0, ct).ConfigureAwait(false);
        if (_keepPhoto) await File.WriteAllBytesAsync(Path.Combine(day, id + ".photo.jpg"), photo, ct).ConfigureAwait(false);
        var record = new EventRecord
        {
            EventId = eventId, CamId = request.CamId, Timestamp = time, Bbox = [bbox.Left, bbox.Top, bbox.Right, bbox.Bottom],
            DetectionScore = detection.DetectionScore, Features = detection.Features, BsType = request.BsType,
            Labels = request.Labels, TrackId = request.DetectorParams.TrackId,
            HasFace = !request.Face0.IsEmpty, HasPhoto = _keepPhoto,
        };
        var line = JsonSerializer.Serialize(record, RouterJson.Options) + "\n";
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try { await File.AppendAllTextAsync(Path.Combine(day, EventLogReader.EventsFile), line, Encoding.UTF8, ct).ConfigureAwait(false); }
        finally { _write.Release(); }
    }

    public async ValueTask ShutdownAsync(CancellationToken ct)
    {
        _stop.Cancel();
        try { await _pruner.WaitAsync(ct).ConfigureAwait(false); } catch (OperationCanceledException) { }
        // Nothing runs after ShutdownAsync (the host drained this instance first); a pruner still
        // waiting holds a cancelled token, which stays usable after its source is disposed.
        _stop.Dispose();
        _write.Dispose();
    }

    /// <summary>Deletes day folders entirely older than the retention period; returns how many.</summary>
    public int Prune(DateTimeOffset now)
    {
        int removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            if (!DateTime.TryParseExact(Path.GetFileName(dir), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)) continue;
            if (now - new DateTimeOffset(date.AddDays(1), TimeSpan.Zero) <= _retention) continue;
            try { Directory.Delete(dir, recursive: true); removed++; }
            catch (IOException e) { _logger.LogWarning(e, "EventLog: pruning {Folder} failed", dir); }
        }
        return removed;
    }

    private async Task PruneLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        do
        {
            try { Prune(DateTimeOffset.UtcNow); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _logger.LogWarning(e, "EventLog: pruning failed"); }
        } while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }
}
