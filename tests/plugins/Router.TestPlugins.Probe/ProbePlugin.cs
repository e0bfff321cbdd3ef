using System.Text;
using System.Text.Json;
using Router.Abstractions;

namespace Router.TestPlugins.Probe;

/// <summary>
/// A plugin whose behaviour the test sets through its settings, and which records what it was
/// given in its data folder (received.jsonl, one line per ProcessAsync; shutdown.log, one line
/// per ShutdownAsync), so a test in another load context can check it.
/// Settings: features (FaceFeatures names, comma-separated), mode (ok | throw | hang, and what only an
/// isolated plugin survives: exit (Environment.Exit), crash (an unhandled exception on a thread),
/// stackoverflow, hog (keeps 64 MiB more per event)),
/// delay_ms (time ProcessAsync takes in ok mode), foreground_thread (true: starts a foreground
/// thread that never ends, as careless plugins do, which must not keep the host alive after a stop).
/// </summary>
public sealed class ProbePlugin : IFaceRouterPlugin
{
#if PROBE_V2
    public const string Variant = "v2";
#else
    public const string Variant = "v1";
#endif

    private readonly IPluginContext _context;
    private readonly FaceFeatures _features;
    private readonly string _mode;
    private readonly int _delayMs;
    private readonly object _fileLock = new();

    public ProbePlugin(IPluginContext context)
    {
        _context = context;
        _features = Enum.Parse<FaceFeatures>(context.Settings.GetString("features", "Facen")!, ignoreCase: true);
        _mode = context.Settings.GetString("mode", "ok")!;
        _delayMs = context.Settings.GetInt("delay_ms", 0);
        if (context.Settings.GetString("foreground_thread", "false") == "true")
            new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = false, Name = "probe foreground" }.Start();
    }

    public ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        ValueTask.FromResult(_features);

    public async ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct)
    {
        switch (_mode)
        {
            case "throw": throw new InvalidOperationException("probe plugin fails on purpose");
            case "hang": await Task.Delay(Timeout.Infinite, CancellationToken.None); break; // ignores the token on purpose
            case "exit": Environment.Exit(3); break;
            case "crash":
                new Thread(() => throw new InvalidOperationException("probe plugin crashes its process on purpose")).Start();
                await Task.Delay(Timeout.Infinite, ct);
                break;
            case "stackoverflow": Recurse(0); break;
            case "hog":
                var block = new byte[64 << 20];
                Array.Fill(block, (byte)1); // touched, so it is resident, not only reserved
                lock (Hoard) Hoard.Add(block);
                break;
        }
        if (_delayMs > 0) await Task.Delay(_delayMs, ct);
        var a = detection.Features;
        var line = JsonSerializer.Serialize(new
        {
            variant = Variant,
            event_id = eventId,
            cam_id = request.CamId,
            has_id = detection.Id is not null,
            has_facen = detection.Facen is not null,
            gender = a.Gender is not null,
            age = a.Age is not null,
            emotions = a.Emotions is not null,
            liveness = a.Liveness is not null,
            quality = a.Quality is not null,
            pose = a.Pose is not null,
            eyes = a.Eyes is not null,
        });
        Append("received.jsonl", line);
    }

    private static readonly List<byte[]> Hoard = [];

    private static int Recurse(int depth) => depth == int.MaxValue ? depth : Recurse(depth + 1) + 1;

    public ValueTask ShutdownAsync(CancellationToken ct)
    {
        Append("shutdown.log", Variant);
        return ValueTask.CompletedTask;
    }

    private void Append(string file, string line)
    {
        lock (_fileLock) File.AppendAllText(Path.Combine(_context.DataDirectory, file), line + "\n", Encoding.UTF8);
    }
}
