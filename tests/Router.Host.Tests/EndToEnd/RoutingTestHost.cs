using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Host.Composition;
using Router.Host.Events;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Models.Faces;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// The routing half of the router (real models, real gallery engine on SQLite, real plugins
/// loaded from a temp folder, the event router) as `router replay --plugins` composes it,
/// without HTTP or cameras; videos are replayed into it deterministically.
/// </summary>
public sealed class RoutingTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private RoutingTestHost(string root, IHost host)
    {
        Root = root;
        _host = host;
    }

    public string Root { get; }
    public IServiceProvider Services => _host.Services;
    public IGalleryClient Galleries => Services.GetRequiredService<IGalleryClient>();
    public FaceEventRouter Events => Services.GetRequiredService<FaceEventRouter>();
    public EventFeed Feed => Services.GetRequiredService<EventFeed>();
    public IFaceAnalyzer Analyzer => Services.GetRequiredService<IFaceAnalyzer>();
    public string PluginData(string plugin) => Path.Combine(Root, "data", "plugins", plugin);

    /// <param name="prepare">Fills the plugins folder (given) before the host loads it.</param>
    public static async Task<RoutingTestHost> StartAsync(Func<string, Task> prepare, IDictionary<string, string?> settings)
    {
        var root = RouterTestHost.NewRoot();
        var plugins = Path.Combine(root, "plugins");
        Directory.CreateDirectory(plugins);
        await prepare(plugins);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var all = new Dictionary<string, string?>
        {
            ["Galleries:DataDir"] = Path.Combine(root, "data"),
            ["Plugins:Directory"] = plugins,
            ["Plugins:DataDirectory"] = Path.Combine(root, "data", "plugins"),
            ["Plugins:ShadowDirectory"] = Path.Combine(root, "shadow"),
            ["Plugins:HotReload"] = "false",
            ["Events:Workers"] = "1",
            ["Events:MaxInFlight"] = "1",
        };
        foreach (var (k, v) in settings) all[k] = v;
        builder.Configuration.AddInMemoryCollection(all);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        RouterHost.AddRoutingServices(builder.Services, builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new RoutingTestHost(root, host);
    }

    /// <summary>Replays <paramref name="video"/> through the plugins and waits until every event is routed.</summary>
    public async Task<ReplayResult> ReplayAsync(string video, CameraSettings settings, string camId = "replay")
    {
        var logger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("replay");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await VideoReplay.RunAsync(video, camId, settings, Analyzer, Events, logger, timeout.Token);
        await Events.DrainAsync(timeout.Token);
        return result;
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
