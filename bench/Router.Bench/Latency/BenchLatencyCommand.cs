using System.CommandLine;
using System.Globalization;
using Router.Models;

namespace Router.Bench;

/// <summary>
/// `router bench latency`: time to a name. A local RTSP camera (GStreamer's RTSP server relaying an ffmpeg
/// encoder, <see cref="RtspBenchCamera"/>) alternates a blank background and a sample photo whose
/// faces are enrolled in the watchlist; for each face of each appearance (a new track) it prints the
/// time from the capture of the appearance's first frame to (a) the track's first event and (b) its
/// first Watchlist webhook received here, p50/p95/p99/max, and where the first event's time went;
/// once per mode (realtime with realtime_post_first_immediately, and overall).
/// </summary>
internal static class BenchLatencyCommand
{
    public static Command Create()
    {
        var appearances = new Option<int>("--appearances") { Description = "Measured appearances per mode (after 2 warm-up ones)", DefaultValueFactory = _ => 20 };
        var on = new Option<int>("--on-frames") { Description = "Frames (25 fps) the photo stays on screen", DefaultValueFactory = _ => 50 };
        // 53, not 50: a period of 103 frames is not a multiple of the 5 frames between detect_fps 5 picks,
        // so appearances start at every phase of the pick instead of always just on one (which would flatter).
        var off = new Option<int>("--off-frames") { Description = "Frames of blank background between appearances", DefaultValueFactory = _ => 53 };
        var modes = new Option<string>("--modes") { Description = "Comma-separated: realtime (with realtime_post_first_immediately), overall", DefaultValueFactory = _ => "realtime,overall" };
        var photo = new Option<string>("--photo") { Description = "Sample photo shown and enrolled", DefaultValueFactory = _ => "sample6.jpg" };
        var set = new Option<string[]>("--set") { Description = "Camera setting over the camera's own (KEY=VALUE, repeatable; lists as key:0=...)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("latency", "Time from a face's first frame on an RTSP camera to its event and its Watchlist alert")
            { appearances, on, off, modes, photo, set };
        command.SetAction(async (parse, ct) =>
        {
            var photoPath = Path.Combine(AssetLocator.PhotosDirectory, parse.GetValue(photo)!);
            var frames = await BenchFrames.MakeAsync(photoPath, ct);
            await using var camera = new RtspBenchCamera(frames, parse.GetValue(on), parse.GetValue(off));
            await camera.StartAsync(ct);
            var extra = (parse.GetValue(set) ?? []).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"camera {camera.PlayUrl}: {BenchFrames.Width}x{BenchFrames.Height} {BenchFrames.Fps} fps H.264 (x264 ultrafast zerolatency), " +
                $"photo {parse.GetValue(photo)} {parse.GetValue(on)} frames, background {parse.GetValue(off)} frames; {Environment.ProcessorCount} cores; load {LoadAverage()}"));
            if (extra.Count > 0) Console.WriteLine("settings " + string.Join(" ", extra.Select(kv => $"{kv.Key}={kv.Value}")));
            Console.WriteLine("ms from the capture of an appearance's first frame; n = tracks (faces x appearances)");
            foreach (var mode in parse.GetValue(modes)!.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var settings = new Dictionary<string, string>();
                if (mode == "realtime") { settings["bs_type"] = "realtime"; settings["realtime_post_first_immediately"] = "true"; }
                else if (mode == "overall") settings["bs_type"] = "overall";
                else { Console.Error.WriteLine($"unknown mode {mode}: realtime or overall"); return 2; }
                foreach (var (k, v) in extra) settings[k] = v;
                var s = await LatencyRun.RunAsync(camera, photoPath, settings, warmup: 2, parse.GetValue(appearances), ct);
                Print(mode, s);
            }
            Console.WriteLine($"load {LoadAverage()}");
            return 0;
        });
        return command;
    }

    private static void Print(string mode, LatencySamples s)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{mode}: {s.Appearances} appearances ({s.AppearancesWithoutEvent} without an event), {s.Tracks} tracks, {s.Events} events, {s.TracksWithoutAlert} tracks without an alert"));
        Console.WriteLine("  what                              n     p50     p95     p99     max");
        Row("(a) first event", s.Event);
        Row("(b) Watchlist alert (webhook)", s.Alert);
        Console.WriteLine("  first event split:");
        Row("  ingest: encoder, RTSP, ffmpeg", s.Ingest);
        Row("  best-shot wait", s.BestShotWait);
        Row("  detect, track, crop, JPEG", s.Processing);
        Row("  event to webhook (routing)", s.Routing);
    }

    private static void Row(string what, IReadOnlyList<double> v) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-30} {v.Count,4} {P(v, 50),7:F0} {P(v, 95),7:F0} {P(v, 99),7:F0} {P(v, 100),7:F0}"));

    private static double P(IReadOnlyList<double> v, double p) => LatencySamples.Percentile(v, p);

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }
}
