using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Router.Host.Pipeline;

/// <summary>
/// Writes one JSON line per event (event_id, cam_id, track_id, bs_type, frame, timestamp,
/// bbox, detection_score, quality) and, given a folder, the event's photo and face0 JPEGs
/// as {event_id}-photo.jpg and {event_id}-face0.jpg. Used by `router replay`.
/// </summary>
public sealed class JsonLinesFaceEventSink(TextWriter output, string? photosDirectory) : IFaceEventSink, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    // Timestamps keep their '+' readable.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(FaceEvent e)
    {
        var r = e.Request;
        var d = r.DetectorParams;
        return JsonSerializer.Serialize(new
        {
            event_id = e.EventId,
            cam_id = r.CamId,
            track_id = d.TrackId,
            bs_type = r.BsType,
            frame = d.Frame,
            timestamp = r.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            bbox = new { left = r.BBox.Left, top = r.BBox.Top, right = r.BBox.Right, bottom = r.BBox.Bottom },
            detection_score = Math.Round(d.DetectionScore, 4),
            quality = Math.Round(d.Quality, 4),
            track_start_frame = d.TrackStartFrame,
            track_end_frame = d.TrackEndFrame,
        }, Json);
    }

    public async ValueTask PublishAsync(FaceEvent e, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (photosDirectory != null)
            {
                Directory.CreateDirectory(photosDirectory);
                await File.WriteAllBytesAsync(Path.Combine(photosDirectory, $"{e.EventId}-photo.jpg"), e.Request.Photo, ct);
                await File.WriteAllBytesAsync(Path.Combine(photosDirectory, $"{e.EventId}-face0.jpg"), e.Request.Face0, ct);
            }
            await output.WriteLineAsync(ToJson(e).AsMemory(), ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Releases the write lock; the output writer is the caller's.</summary>
    public void Dispose() => _lock.Dispose();
}
