using System.Collections.Concurrent;
using FFMpegCore;

namespace Router.Host.Cameras;

/// <summary>
/// Probes camera sources with ffprobe through FFMpegCore (its FFProbe only: the long-running frame
/// reader stays the project's own, which keeps per-frame timestamps, stall control and a bounded
/// stderr). One probe per camera at a time, in the background, bounded by <see cref="Timeout"/>;
/// the latest result per camera is kept for the camera's view.
/// </summary>
public sealed class CameraProber(ILogger<CameraProber> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, CameraProbe> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public CameraProbe? Find(string id) => _results.GetValueOrDefault(id);

    /// <summary>Starts probing <paramref name="url"/> with the camera's (allow-listed) input options; a probe of the same camera still running is cancelled.</summary>
    public void Start(string id, string url, IReadOnlyList<string> inputOptions)
    {
        var cts = new CancellationTokenSource(Timeout);
        if (_running.TryGetValue(id, out var old)) old.Cancel();
        _running[id] = cts;
        _ = Task.Run(async () =>
        {
            var result = await ProbeAsync(url, inputOptions, cts.Token);
            // A newer probe of this camera started meanwhile: its answer is the one to keep.
            if (_running.TryGetValue(id, out var current) && current == cts)
            {
                _results[id] = result;
                _running.TryRemove(id, out _);
            }
            cts.Dispose();
            if (result.Error is not null) logger.LogWarning("camera {CamId}: probe of {Url} found no video: {Error}", id, url, result.Error);
        });
    }

    public void Forget(string id)
    {
        if (_running.TryRemove(id, out var cts)) cts.Cancel();
        _results.TryRemove(id, out _);
    }

    private static async Task<CameraProbe> ProbeAsync(string url, IReadOnlyList<string> inputOptions, CancellationToken ct)
    {
        try
        {
            var arguments = string.Join(' ', inputOptions.Select(Quote));
            var analysis = Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile
                ? await FFProbe.AnalyseAsync(uri, null, arguments, ct)
                : await FFProbe.AnalyseAsync(url, null, arguments, ct);
            var video = analysis.PrimaryVideoStream;
            return video is null
                ? new CameraProbe { Error = "the source has no video stream", ProbedAt = DateTimeOffset.UtcNow }
                : new CameraProbe { Codec = video.CodecName, Width = video.Width, Height = video.Height, Fps = Math.Round(video.AverageFrameRate > 0 ? video.AverageFrameRate : video.RealFrameRate, 3), ProbedAt = DateTimeOffset.UtcNow };
        }
        catch (OperationCanceledException)
        {
            return new CameraProbe { Error = $"no answer within {Timeout.TotalSeconds:F0} s", ProbedAt = DateTimeOffset.UtcNow };
        }
        catch (Exception e) when (e is FFMpegCore.Exceptions.FFMpegException or System.ComponentModel.Win32Exception or FormatException or System.Text.Json.JsonException)
        {
            return new CameraProbe { Error = LastLine(e.Message), ProbedAt = DateTimeOffset.UtcNow };
        }
    }

    // The allow-listed options are single tokens; quoting keeps a value with spaces one argument.
    private static string Quote(string s) => s.Contains(' ', StringComparison.Ordinal) ? $"\"{s.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : s;

    private static string LastLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "ffprobe failed" : lines[^1];
    }
}
