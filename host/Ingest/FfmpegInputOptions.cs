using System.Globalization;
using System.Text.RegularExpressions;

namespace Router.Host.Ingest;

/// <summary>
/// The ffmpeg options a camera's <c>ffmpeg_params</c> may hold: input options that a CCTV operator
/// tunes (transport, time-outs, probing, buffering, low delay, looping a file, hardware decoding),
/// each with its value checked. Everything else is refused, because the list is placed on ffmpeg's
/// command line before <c>-i</c>: an unchecked list could add inputs (<c>-i</c>, <c>-f lavfi</c>,
/// whose filters read any file), outputs (<c>-y /any/file</c> writes or truncates it), or widen
/// <c>-protocol_whitelist</c>. An allow-list, not a deny-list, since ffmpeg has hundreds of options.
/// </summary>
public static partial class FfmpegInputOptions
{
    private static readonly Func<string, bool> Micros = v => Integer(v, 0, 3_600_000_000L);
    private static readonly Func<string, bool> Bytes = v => Integer(v, 32, 1L << 31);

    /// <summary>Option → value check; null = the option takes no value.</summary>
    private static readonly Dictionary<string, (Func<string, bool>? Valid, string Rule)> Allowed = new(StringComparer.Ordinal)
    {
        ["-rtsp_transport"] = (v => v is "tcp" or "udp" or "udp_multicast" or "http" or "https", "tcp, udp, udp_multicast, http or https"),
        // "listen" is left out: it makes ffmpeg a server on a port of its choosing.
        ["-rtsp_flags"] = (v => Flags(v, "filter_src", "prefer_tcp"), "flags of filter_src, prefer_tcp"),
        ["-timeout"] = (Micros, "microseconds, 0..3600000000"),
        ["-stimeout"] = (Micros, "microseconds, 0..3600000000"),
        ["-rw_timeout"] = (Micros, "microseconds, 0..3600000000"),
        ["-analyzeduration"] = (Micros, "microseconds, 0..3600000000"),
        ["-probesize"] = (Bytes, "bytes, 32..2147483648"),
        ["-fflags"] = (v => Flags(v, "nobuffer", "genpts", "discardcorrupt", "igndts", "ignidx", "nofillin", "noparse", "fastseek", "flush_packets"),
            "flags of nobuffer, genpts, discardcorrupt, igndts, ignidx, nofillin, noparse, fastseek, flush_packets"),
        ["-flags"] = (v => Flags(v, "low_delay"), "low_delay"),
        ["-re"] = (null, ""),
        ["-readrate"] = (v => Number(v, 0.01, 100), "a speed factor, 0.01..100"),
        ["-stream_loop"] = (v => Integer(v, -1, int.MaxValue), "an integer >= -1 (-1 = for ever)"),
        ["-buffer_size"] = (v => Integer(v, 0, 1L << 30), "bytes, 0..1073741824"),
        ["-max_delay"] = (Micros, "microseconds, 0..3600000000"),
        ["-reorder_queue_size"] = (v => Integer(v, 0, 100_000), "packets, 0..100000"),
        ["-thread_queue_size"] = (v => Integer(v, 1, 100_000), "packets, 1..100000"),
        ["-use_wallclock_as_timestamps"] = (v => v is "0" or "1", "0 or 1"),
        ["-skip_frame"] = (v => v is "default" or "nokey" or "noref" or "bidir" or "nonintra" or "nonkey", "default, nokey, noref, bidir, nonintra or nonkey"),
        ["-hwaccel"] = (v => v is "none" or "auto" or "cuda" or "vaapi" or "qsv" or "vdpau" or "drm" or "vulkan", "none, auto, cuda, vaapi, qsv, vdpau, drm or vulkan"),
        // Demuxers that read only the stream itself; lavfi, concat and image2 (which open other files) are left out.
        ["-f"] = (v => v is "rtsp" or "mjpeg" or "h264" or "hevc" or "mpegts" or "flv" or "rtp", "rtsp, mjpeg, h264, hevc, mpegts, flv or rtp"),
        ["-user_agent"] = (v => UserAgent().IsMatch(v), "printable ASCII, at most 256 characters"),
    };

    [GeneratedRegex("^[\\x20-\\x7e]{1,256}$")]
    private static partial Regex UserAgent();

    [GeneratedRegex("^[+-]?[a-z_]+([+-][a-z_]+)*$")]
    private static partial Regex FlagList();

    /// <summary>The names of the allowed options, for error messages and the README.</summary>
    public static IEnumerable<string> Names => Allowed.Keys;

    /// <summary>The first problem with <paramref name="parameters"/> as (offending option or position, why); null when every option is allowed.</summary>
    public static (string Where, string Why)? FirstProblem(IReadOnlyList<string> parameters)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var option = parameters[i];
            if (option is null || !Allowed.TryGetValue(option, out var rule))
                return (Safe(option, i), $"[{i}] is not an allowed ffmpeg input option (allowed: {string.Join(" ", Allowed.Keys)})");
            if (rule.Valid is null) continue;
            if (i + 1 >= parameters.Count) return (option, $"[{i}] {option} needs a value: {rule.Rule}");
            var value = parameters[++i];
            if (value is null || !rule.Valid(value)) return (option, $"[{i}] is not a valid value of {option}: {rule.Rule}");
        }
        return null;
    }

    // The offending token is echoed only when it looks like an option name: the message format splits on '=' and ':'.
    private static string Safe(string? option, int i) =>
        option is { Length: > 0 and <= 40 } && OptionName().IsMatch(option) ? option : $"[{i}]";

    [GeneratedRegex("^-[A-Za-z0-9_]+$")]
    private static partial Regex OptionName();

    private static bool Integer(string v, long min, long max) =>
        long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max;

    private static bool Number(string v, double min, double max) =>
        double.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max;

    private static bool Flags(string v, params string[] names)
    {
        if (!FlagList().IsMatch(v)) return false;
        return v.Split('+', '-', StringSplitOptions.RemoveEmptyEntries).All(names.Contains);
    }
}
