using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Host.Plugins;
using Router.Host.Plugins.Isolation;
using Router.Models;

namespace Router.Bench;

/// <summary>
/// `router bench isolation`: what a plugin call costs in process and isolated (<c>Isolation=process</c>):
/// the same plugin loaded both ways, each given the same face (a sample photo, its box, a detection
/// with a 512-d embedding) through PreprocessAsync and ProcessAsync, timed per face.
/// </summary>
internal static class BenchIsolationCommand
{
    public static Command Create()
    {
        var plugins = new Option<string>("--plugins") { Description = "Folder of plugin folders", DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "plugins") };
        var plugin = new Option<string>("--plugin") { Description = "The plugin (its folder name)", DefaultValueFactory = _ => "eventlog" };
        var faces = new Option<int>("--faces") { Description = "Faces per mode", DefaultValueFactory = _ => 500 };
        var command = new Command("isolation", "Cost of a plugin call in process and in an isolated process") { plugins, plugin, faces };
        command.SetAction(async (parse, ct) =>
        {
            var photo = File.ReadAllBytes(Path.Combine(AssetLocator.PhotosDirectory, "sample1.jpg"));
            var request = new FaceRequest
            {
                Photo = photo, BBox = new BBox(200, 100, 400, 340), CamId = "bench", Timestamp = DateTimeOffset.UtcNow,
                DetectorParams = new DetectorParams { DetectionScore = 0.9f, TrackId = 1 },
            };
            var facen = new float[512];
            for (int i = 0; i < facen.Length; i++) facen[i] = (i % 7 - 3) / 64f;
            var detection = new DetectFace { Id = "bench", BBox = request.BBox, DetectionScore = 0.9f, Facen = facen };
            Console.WriteLine($"plugin {parse.GetValue(plugin)}, {parse.GetValue(faces)} faces per mode, photo {photo.Length / 1024} KiB, load {LoadAverage()}");
            foreach (var isolation in new[] { PluginIsolation.InProcess, PluginIsolation.Process })
            {
                var (p50, p99, mean, cpu) = await MeasureAsync(parse.GetValue(plugins)!, parse.GetValue(plugin)!, isolation, parse.GetValue(faces), request, detection, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{isolation,-10} preprocess+process per face: p50 {p50:F3} ms, p99 {p99:F3} ms, mean {mean:F3} ms; host CPU {cpu:F3} ms per face"));
            }
            return 0;
        });
        return command;
    }

    private static async Task<(double P50, double P99, double Mean, double CpuMs)> MeasureAsync(string pluginsDirectory, string name, PluginIsolation isolation,
        int count, FaceRequest request, DetectFace detection, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "router-bench-isolation", Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Plugins:Directory"] = pluginsDirectory,
            ["Plugins:DataDirectory"] = Path.Combine(root, "data"),
            ["Plugins:ShadowDirectory"] = Path.Combine(root, "shadow"),
            [$"Plugins:Items:{name}:Isolation"] = isolation.ToString(),
            // The sample plugins' assemblies are Router.Plugins.NAME in folder NAME.
            [$"Plugins:Items:{name}:Assembly"] = Directory.GetFiles(Path.Combine(pluginsDirectory, name), "*.dll")
                .Select(Path.GetFileNameWithoutExtension).FirstOrDefault(f => f!.EndsWith(name, StringComparison.OrdinalIgnoreCase)),
        }).Build();
        var section = configuration.GetSection(PluginsOptions.SectionName);
        var options = section.Get<PluginsOptions>() ?? new PluginsOptions();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        var loader = new PluginLoader(Microsoft.Extensions.Options.Options.Create(options), section,
            new GalleriesUnavailable("the isolation benchmark has no galleries"), new Router.Galleries.RandomIdGenerator(), loggers,
            new PluginShadowCopies(options.ShadowDirectory!), new EventAnnotations());
        var entry = new PluginEntry(name, Path.Combine(pluginsDirectory, name), options.Items.GetValueOrDefault(name) ?? new PluginOptions { Isolation = isolation },
            options.ProcessTimeout);
        var instance = loader.Load(entry, 1, _ => null);
        try
        {
            var plugin = instance.Plugin;
            for (int i = 0; i < 50; i++) await CallAsync(plugin, request, detection, (ulong)i, ct); // warm-up: JIT, first connections
            var times = new double[count];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < count; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await CallAsync(plugin, request, detection, (ulong)(1000 + i), ct);
                times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
            await plugin.ShutdownAsync(ct);
            Array.Sort(times);
            return (times[count / 2], times[Math.Min(count - 1, count * 99 / 100)], times.Average(), cpuMs);
        }
        finally
        {
            instance.Unload(loggers.CreateLogger("bench"));
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task CallAsync(IFaceRouterPlugin plugin, FaceRequest request, DetectFace detection, ulong eventId, CancellationToken ct)
    {
        var wanted = await plugin.PreprocessAsync(request, request.Labels, ct);
        if (wanted != FaceFeatures.None) await plugin.ProcessAsync(request, request.Photo, request.BBox, eventId, detection, ct);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
