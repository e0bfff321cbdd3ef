using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Host.Composition;
using Router.Host.Ingest;
using Router.Host.Events;
using Router.Host.Pipeline;

namespace Router.Host.Cli;

/// <summary>
/// `router replay VIDEO`: the whole video pipeline over a file, as fast as possible and
/// deterministically; one JSON line per face event, then a summary line.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var video = new Argument<string>("video") { Description = "Video file (anything ffmpeg reads)" };
        var bsType = new Option<string>("--bs-type") { Description = "overall (one event per track) or realtime (one per interval)", DefaultValueFactory = _ => BestShotTypes.Overall };
        var interval = new Option<double>("--realtime-interval") { Description = "realtime_post_interval in seconds", DefaultValueFactory = _ => 1.0 };
        var every = new Option<bool>("--realtime-every-interval") { Description = "realtime_post_every_interval: post every interval's best, not only improvements" };
        var detectFps = new Option<double>("--detect-fps") { Description = "Frames per second given to the detector (0 = all)", DefaultValueFactory = _ => 5.0 };
        var camId = new Option<string>("--cam-id") { Description = "cam_id of the events", DefaultValueFactory = _ => "replay" };
        var minQuality = new Option<double?>("--min-quality") { Description = "filter_min_quality (default 0: no gate)" };
        var minSize = new Option<int?>("--min-size") { Description = "filter_min_size in pixels (default 40)" };
        var outFile = new Option<string?>("--out") { Description = "Write the JSON lines to this file instead of stdout" };
        var photos = new Option<string?>("--photos") { Description = "Save each event's photo and face0 JPEGs in this folder" };
        var plugins = new Option<string?>("--plugins") { Description = "Also route every event through the plugins of this folder (one sub-folder per plugin), in order, before exiting" };
        var data = new Option<string>("--data") { Description = "With --plugins: data folder (galleries, plugin data)", DefaultValueFactory = _ => "./data" };
        var config = new Option<string?>("--config") { Description = "With --plugins: JSON configuration (Plugins:Items:NAME:Settings, Galleries ...)" };
        var command = new Command("replay", "Run the video pipeline over a file and print one JSON line per face event")
        {
            video, bsType, interval, every, detectFps, camId, minQuality, minSize, outFile, photos, plugins, data, config,
        };
        command.SetAction(async (parse, ct) =>
        {
            var d = CameraSettings.Default;
            var settings = d with
            {
                BsType = parse.GetValue(bsType)!,
                RealtimePostInterval = parse.GetValue(interval),
                RealtimePostEveryInterval = parse.GetValue(every),
                DetectFps = parse.GetValue(detectFps),
                FilterMinQuality = parse.GetValue(minQuality) ?? d.FilterMinQuality,
                FilterMinSize = parse.GetValue(minSize) ?? d.FilterMinSize,
            };
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            var path = parse.GetValue(outFile);
            TextWriter output = path == null ? Console.Out : new StreamWriter(path, append: false);
            try
            {
                var jsonLines = new JsonLinesFaceEventSink(output, parse.GetValue(photos));
                if (parse.GetValue(plugins) is { } pluginsDir)
                {
                    var routed = await ReplayWithPlugins.RunAsync(parse.GetValue(video)!, parse.GetValue(camId)!, settings, jsonLines,
                        pluginsDir, parse.GetValue(data)!, parse.GetValue(config), loggers.CreateLogger("Router.Host.Replay"), ct);
                    await output.WriteLineAsync(JsonSerializer.Serialize(new { summary = Summary(routed.Replay), routing = routed.Routing }, Router.Abstractions.RouterJson.Options));
                    return 0;
                }
                var analyzer = FaceAnalyzerLoader.Create();
                using var disposeAnalyzer = analyzer as IDisposable;
                var result = await VideoReplay.RunAsync(parse.GetValue(video)!, parse.GetValue(camId)!, settings, analyzer, jsonLines,
                    loggers.CreateLogger("Router.Host.Replay"), ct);
                await output.WriteLineAsync(JsonSerializer.Serialize(new { summary = Summary(result) }));
                return 0;
            }
            catch (Exception e) when (e is RouterException or Microsoft.Extensions.Options.OptionsValidationException or FileNotFoundException)
            {
                await Console.Error.WriteLineAsync($"router replay: {(e is RouterException r ? r.Code + ": " : "")}{e.Message}");
                return 2;
            }
            finally
            {
                await output.FlushAsync(CancellationToken.None);
                if (path != null) await output.DisposeAsync();
            }
        });
        return command;
    }

    private static object Summary(ReplayResult result) => new
    {
        frames = result.Frames,
        tracks = result.Tracks,
        events = result.Events,
        faces_failed = result.Statistics.FacesFailed,
        faces_not_posted = result.Statistics.FacesNotPosted,
        faces_not_posted_by_reason = result.Statistics.FacesNotPostedByReason,
        seconds = Math.Round(result.Elapsed.TotalSeconds, 3),
        fps = Math.Round(result.Fps, 1),
    };
}
