using System.Globalization;

namespace Router.Host.Ingest;

/// <summary>
/// The ffmpeg command line that turns a camera URL into raw BGR24 frames on stdout. Frames
/// are decimated to detect_fps by a <c>select</c> filter, so skipped frames are never colour
/// converted or copied through the pipe (the conversion costs as much as the decoding);
/// <c>showinfo</c> reports each kept frame's size and presentation time on stderr, which
/// <see cref="FfmpegFrameReader"/> pairs with the frame bytes in order.
/// </summary>
public static class FfmpegArguments
{
    public static bool IsRtsp(string url) => url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);
    public static bool IsNetwork(string url) => url.Contains("://", StringComparison.Ordinal) && !url.StartsWith("file://", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<string> Build(string url, CameraSettings settings)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info" };
        // Time-outs in microseconds: without them ffmpeg hangs for ever on a dead publisher.
        var timeoutUs = ((long)(settings.StallTimeout * 1_000_000)).ToString(CultureInfo.InvariantCulture);
        if (IsRtsp(url))
            args.AddRange(["-rtsp_transport", settings.RtspTransport, "-timeout", timeoutUs]);
        else if (IsNetwork(url))
            args.AddRange(["-rw_timeout", timeoutUs]);
        else if (settings.PlaySpeed > 0)
            args.AddRange(["-readrate", settings.PlaySpeed.ToString(CultureInfo.InvariantCulture)]);
        // Frame threading (ffmpeg's default decoder threads) holds each decoded frame back until the
        // decoder has the next packets: up to two frames (80 ms at 25 fps) on 2 cores, measured with
        // `router bench latency`. A file is read faster than real time, so it only delays a live stream.
        if (IsNetwork(url) && settings.LowDelay)
            args.AddRange(["-flags", "low_delay"]);
        args.AddRange(settings.FfmpegParams);
        args.AddRange(["-i", url, "-map", "0:v:0", "-an", "-sn", "-dn"]);
        args.AddRange(["-vf", Filter(settings)]);
        args.AddRange(["-fps_mode", "passthrough", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"]);
        return args;
    }

    /// <summary>select (first frame of every 1/detect_fps bucket of stream time), optional scale, then showinfo.</summary>
    public static string Filter(CameraSettings settings)
    {
        var parts = new List<string>();
        if (settings.DetectFps > 0)
        {
            var d = settings.DetectFps.ToString(CultureInfo.InvariantCulture);
            // Buckets of stream time rather than "t - prev >= 1/fps": no drift when the ratio
            // of source to detect fps is not an integer; the epsilon absorbs rounding of t.
            parts.Add($"select='isnan(prev_selected_t)+gte(floor(t*{d}+1e-6),floor(prev_selected_t*{d}+1e-6)+1)'");
        }
        if (settings.MaxFrameWidth > 0)
            parts.Add($"scale='min(iw,{settings.MaxFrameWidth})':-2");
        parts.Add("showinfo");
        return string.Join(",", parts);
    }
}
