using Microsoft.Extensions.Hosting;
using Router.Host.Events;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Host.Plugins;
using Router.Models.Faces;

namespace Router.Host.Composition;

/// <summary>
/// `router replay --plugins DIR`: the deterministic replay, with every event also routed
/// through the plugins (galleries on SQLite under the data folder). One routing worker and one
/// event in flight keep the plugins' order of events the video's order; the replay waits until every event has
/// been routed, then shuts the plugins down.
/// </summary>
public static class ReplayWithPlugins
{
    public sealed record Result(ReplayResult Replay, ReplayRouting Routing);

    /// <summary>What the plugins made of the replay's events.</summary>
    public sealed record ReplayRouting(long Routed, long Failed, IReadOnlyList<PluginInfo> Plugins);

    public static async Task<Result> RunAsync(string video, string camId, CameraSettings settings, IFaceEventSink lines,
        string pluginsDirectory, string dataDirectory, string? configFile, ILogger logger, CancellationToken ct)
    {
        var data = Path.GetFullPath(dataDirectory);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Galleries:DataDir"] = data,
            ["Plugins:DataDirectory"] = Path.Combine(data, "plugins"),
            ["Plugins:HotReload"] = "false",
        });
        if (configFile is not null) builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Plugins:Directory"] = Path.GetFullPath(pluginsDirectory),
            ["Events:Workers"] = "1",
            ["Events:MaxInFlight"] = "1",
            ["Events:LogEvents"] = "false",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        RouterHost.AddRoutingServices(builder.Services, builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            var router = host.Services.GetRequiredService<FaceEventRouter>();
            var analyzer = host.Services.GetRequiredService<IFaceAnalyzer>();
            var replay = await VideoReplay.RunAsync(video, camId, settings, analyzer, new FanOutFaceEventSink(lines, router), logger, ct);
            await router.DrainAsync(ct);
            var registry = host.Services.GetRequiredService<PluginRegistry>();
            return new Result(replay, new ReplayRouting(router.Counters.Routed, router.Counters.Failed, registry.Describe()));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
