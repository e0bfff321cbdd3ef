using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Plugins;
using Router.Host.Routing;
using Router.Host.Tests.Routing;
using Router.Models.Imaging;
using Router.Tests.Common;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// The plugin host as the host wires it (options bound and validated, loader, registry,
/// router, hot reloader) over a temp folder, with the in-memory gallery and the recording
/// analyzer behind the router.
/// </summary>
public sealed class PluginHostHarness : IAsyncDisposable
{
    private PluginHotReloader? _reloader;

    public PluginHostHarness(IDictionary<string, string?> settings)
    {
        Root = Path.Combine(Path.GetTempPath(), "router-plugin-tests", Guid.NewGuid().ToString("N")[..10]);
        PluginsDirectory = Path.Combine(Root, "plugins");
        Directory.CreateDirectory(PluginsDirectory);
        var all = new Dictionary<string, string?>(settings)
        {
            ["Plugins:Directory"] = PluginsDirectory,
            ["Plugins:DataDirectory"] = Path.Combine(Root, "data"),
            ["Plugins:ShadowDirectory"] = Path.Combine(Root, "shadow"),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var section = configuration.GetSection(PluginsOptions.SectionName);
        var bound = section.Get<PluginsOptions>() ?? new PluginsOptions();
        var validation = new PluginsOptionsValidator().Validate(null, bound);
        if (validation.Failed) throw new OptionsValidationException(PluginsOptions.SectionName, typeof(PluginsOptions), validation.Failures);
        Options = bound;
        var options = Microsoft.Extensions.Options.Options.Create(bound);
        Loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        Loader = new PluginLoader(options, section, Galleries, new Router.Galleries.RandomIdGenerator(), Loggers, new PluginShadowCopies(bound.ShadowDirectory!), Annotations);
        Registry = new PluginRegistry(options, Loader, Loggers.CreateLogger<PluginRegistry>());
        Router = new FaceRouter(Registry, new FaceFeatureExtractor(Analyzer, Galleries.Cache), options, Loggers.CreateLogger<FaceRouter>());
    }

    public string Root { get; }
    public string PluginsDirectory { get; }
    public PluginsOptions Options { get; }
    public ILoggerFactory Loggers { get; }
    public EngineTestGalleries Galleries { get; } = new();
    public EventAnnotations Annotations { get; } = new();
    public RecordingFaceAnalyzer Analyzer { get; } = new();
    public PluginLoader Loader { get; }
    public PluginRegistry Registry { get; }
    public FaceRouter Router { get; }

    public Task StartAsync() => Registry.LoadAllAsync(CancellationToken.None);

    public Task StartHotReloadAsync()
    {
        _reloader = new PluginHotReloader(Registry, Microsoft.Extensions.Options.Options.Create(Options), Loggers.CreateLogger<PluginHotReloader>());
        return _reloader.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_reloader is not null) await _reloader.StopAsync(CancellationToken.None);
        await Registry.ShutdownAsync(CancellationToken.None);
    }

    public string DataOf(string plugin) => Path.Combine(Options.DataDirectory, plugin);

    /// <summary>What the probe plugin <paramref name="plugin"/> recorded, one element per ProcessAsync.</summary>
    public IReadOnlyList<JsonElement> Received(string plugin)
    {
        var file = Path.Combine(DataOf(plugin), "received.jsonl");
        return File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];
    }

    public IReadOnlyList<string> ShutdownLog(string plugin)
    {
        var file = Path.Combine(DataOf(plugin), "shutdown.log");
        return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).ToList() : [];
    }

    /// <summary>A face event on a sample photo; the box is a region of the photo (the router trusts the pipeline's box).</summary>
    public static FaceRequest SampleFace(string photo = "sample1.jpg", int left = 40, string camId = "cam-1") => new()
    {
        Photo = SamplePhotos.Read(photo),
        BBox = new BBox(left, 40, left + 80, 120),
        CamId = camId,
        Timestamp = DateTimeOffset.UtcNow,
        DetectorParams = new DetectorParams { DetectionScore = 0.9f },
    };

    public async ValueTask DisposeAsync()
    {
        _reloader?.Dispose();
        Loggers.Dispose();
        await Galleries.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
