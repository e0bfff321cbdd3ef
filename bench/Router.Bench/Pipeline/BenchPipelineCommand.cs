using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Host.Demo;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Models;

namespace Router.Bench;

/// <summary>
/// `router bench pipeline`: K cameras replaying a 1280×720 25 fps H.264 clip in real time
/// (play_speed 1) at detect_fps 5 in realtime mode, for K = 1, 2, 4, 8, 12, 16 ...; prints per
/// K the frames dropped, CPU per camera (router and its ffmpeg children), and frame-to-event
/// latency; then the largest K with under 1% drops.
/// </summary>
internal static class BenchPipelineCommand
{
    public static Command Create()
    {
        var cameras = new Option<string>("--cameras") { Description = "Comma-separated camera counts", DefaultValueFactory = _ => "1,2,4,8,12,16" };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per camera count (after 4 s warm-up)", DefaultValueFactory = _ => 20 };
        var detectFps = new Option<double>("--detect-fps") { DefaultValueFactory = _ => 5 };
        var clip = new Option<string?>("--clip") { Description = "Video to replay (default: the demo clip made from the sample photos)" };
        var motionGate = new Option<double>("--motion-gate") { Description = "motion_gate_interval in seconds (0: the detector on every processed frame)", DefaultValueFactory = _ => CameraSettings.Default.MotionGateInterval };
        var command = new Command("pipeline", "Cameras in real time: drops, CPU per camera, frame-to-event latency") { cameras, seconds, detectFps, clip, motionGate };
        command.SetAction(async (parse, ct) =>
        {
            var counts = parse.GetValue(cameras)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var video = parse.GetValue(clip) ?? await DemoVideo.EnsureAsync(AssetLocator.PhotosDirectory,
                Path.Combine(Path.GetTempPath(), "router-bench", "pipeline-1280x720-25.mp4"), 3, ct);
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Error).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            var analyzer = FaceAnalyzerLoader.Create();
            using var disposeAnalyzer = analyzer as IDisposable;
            Console.WriteLine($"clip {video}; {Environment.ProcessorCount} cores; detect_fps {parse.GetValue(detectFps)}; motion_gate_interval {parse.GetValue(motionGate)} s; realtime, interval 1 s, every interval");
            Console.WriteLine("cameras  decoded  real-time%  processed  dropped%  cpu%/cam(router+ffmpeg)  events  trigger p50/p99 ms  best-shot age p50/p99 ms  detector skipped%");
            int best = 0;
            foreach (var k in counts)
            {
                var r = await RunAsync(k, video, parse.GetValue(detectFps), parse.GetValue(seconds), parse.GetValue(motionGate), analyzer, loggers.CreateLogger("bench"), ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{k,7}  {r.Decoded,7}  {r.RealTimePercent,10:F1}  {r.Processed,9}  {r.DroppedPercent,8:F2}  {r.CpuPerCamera,10:F1} ({r.RouterCpuPerCamera:F1}+{r.FfmpegCpuPerCamera:F1})  {r.Events,6}  {r.TriggerP50,8:F0}/{r.TriggerP99:F0}  {r.AgeP50,12:F0}/{r.AgeP99:F0}  {r.SkippedPercent,8:F1}"));
                // A camera count passes only when ffmpeg kept up with real time too: a saturated machine
                // decodes late instead of dropping, which the drop counter alone would hide.
                if (r.DroppedPercent < 1 && r.RealTimePercent >= 99) best = k;
                if (r.DroppedPercent > 20) break; // the machine is saturated; larger K says nothing new
            }
            Console.WriteLine($"largest camera count with < 1% dropped frames and decoding in real time: {best}");
            return 0;
        });
        return command;
    }

    private sealed record Result(long Decoded, double RealTimePercent, long Processed, double DroppedPercent, double RouterCpuPerCamera, double FfmpegCpuPerCamera, long Events,
        double TriggerP50, double TriggerP99, double AgeP50, double AgeP99, double SkippedPercent)
    {
        public double CpuPerCamera => RouterCpuPerCamera + FfmpegCpuPerCamera;
    }

    private static async Task<Result> RunAsync(int k, string video, double detectFps, double seconds, double motionGate, Models.Faces.IFaceAnalyzer analyzer, ILogger logger,
        CancellationToken ct)
    {
        var sink = new LatencyRecordingSink();
        var settings = CameraSettings.Default with
        {
            PlaySpeed = 1, DetectFps = detectFps, BsType = BestShotTypes.Realtime, RealtimePostInterval = 1, RealtimePostEveryInterval = true,
            FfmpegParams = ["-stream_loop", "-1"], MotionGateInterval = motionGate,
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pipelines = Enumerable.Range(1, k).Select(i => new CameraPipeline(new CameraDefinition { Id = $"cam{i}", Url = video, Settings = settings }, analyzer, sink, new TimeOrderedEventIdGenerator(), logger)).ToList();
        var tasks = pipelines.Select(p => Task.Run(() => p.RunAsync(stop.Token), CancellationToken.None)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(4), ct); // warm-up: ffmpeg start, model load, first frames
        var before = pipelines.Select(p => p.Statistics.Snapshot()).ToList();
        var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var ff0 = FfmpegChildrenCpu();
        sink.StartRecording();
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
        var elapsed = watch.Elapsed.TotalSeconds;
        self.Refresh();
        var routerCpu = (self.TotalProcessorTime - cpu0).TotalSeconds;
        var ffCpu = FfmpegChildrenCpu().Where(kv => ff0.ContainsKey(kv.Key)).Sum(kv => kv.Value - ff0[kv.Key]);
        var after = pipelines.Select(p => p.Statistics.Snapshot()).ToList();
        var p50 = sink.Percentile(50);
        var p99 = sink.Percentile(99);
        var events = sink.Count;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        long decoded = after.Sum(s => s.FramesDecoded) - before.Sum(s => s.FramesDecoded);
        long processed = after.Sum(s => s.FramesProcessed) - before.Sum(s => s.FramesProcessed);
        long dropped = after.Sum(s => s.FramesDropped) - before.Sum(s => s.FramesDropped);
        long skipped = after.Sum(s => s.DetectionsSkipped) - before.Sum(s => s.DetectionsSkipped);
        // Frames real time would have given: detect_fps per camera over the measured time.
        double expected = detectFps > 0 ? k * detectFps * elapsed : k * 25 * elapsed;
        return new Result(decoded, 100.0 * decoded / expected, processed, decoded == 0 ? 100 : 100.0 * dropped / decoded,
            100 * routerCpu / elapsed / k, 100 * ffCpu / elapsed / k, events, p50.Trigger, p99.Trigger, p50.BestShotAge, p99.BestShotAge,
            processed == 0 ? 0 : 100.0 * skipped / processed);
    }

    /// <summary>CPU seconds used so far by each ffmpeg child of this process (Linux /proc), by pid.</summary>
    private static Dictionary<int, double> FfmpegChildrenCpu()
    {
        var result = new Dictionary<int, double>();
        int me = Environment.ProcessId;
        double ticks = 100; // USER_HZ on Linux
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int close = stat.LastIndexOf(')');
                if (!stat.AsSpan(0, close).EndsWith("(ffmpeg")) continue;
                var fields = stat[(close + 2)..].Split(' ');
                // fields[1] = ppid, [11] = utime, [12] = stime (after the comm field)
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) != me) continue;
                result[pid] = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticks;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return result;
    }
}
