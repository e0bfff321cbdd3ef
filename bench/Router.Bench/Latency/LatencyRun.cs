using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Router.Abstractions;
using Router.Host.Composition;
using Router.Host.Events;
using Router.Host.Pipeline;

namespace Router.Bench;

/// <summary>
/// One mode of `router bench latency`: the composed router of `router run` (RouterHost) in this
/// process, with only the Watchlist plugin (webhook to <see cref="WebhookListener"/>) and one RTSP
/// camera on <see cref="RtspBenchCamera"/>; the watchlist gallery is enrolled from the faces of the
/// photo the camera shows. Runs for the warm-up and measured appearances, then stops the host and
/// pairs what it saw: appearances, events (<see cref="EventTimingSink"/>) and alerts.
/// </summary>
internal static class LatencyRun
{
    public const string CamId = "bench";

    public static async Task<LatencySamples> RunAsync(RtspBenchCamera camera, string photo, IReadOnlyDictionary<string, string> cameraSettings,
        int warmup, int appearances, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "router-bench", "latency-" + Guid.NewGuid().ToString("N")[..8]);
        using var webhook = new WebhookListener();
        var overrides = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{FreePort()}",
            ["DataDir"] = Path.Combine(root, "data"),
            ["Demo:Enabled"] = "false",
            ["Plugins:HotReload"] = "false",
            ["Plugins:ShadowDirectory"] = Path.Combine(root, "shadow"),
            ["Plugins:Items:visitors:Enabled"] = "false",
            ["Plugins:Items:eventlog:Enabled"] = "false",
            ["Plugins:Items:watchlist:Settings:webhook:url"] = webhook.Url,
            ["Events:LogEvents"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            [$"Cameras:{CamId}:Url"] = camera.PlayUrl,
        };
        foreach (var (k, v) in cameraSettings) overrides[$"Cameras:{CamId}:Settings:{k}"] = v;

        var builder = RouterHost.CreateBuilder([], null, overrides);
        EventTimingSink? timing = null;
        builder.Services.RemoveAll<IFaceEventSink>();
        builder.Services.AddSingleton<IFaceEventSink>(sp => timing = new EventTimingSink(sp.GetRequiredService<FaceEventRouter>()));
        var app = RouterHost.Build(builder);
        var firstAppearance = camera.Appearances.Count;
        try
        {
            await app.StartAsync(ct);
            await SeedAsync(app.Services.GetRequiredService<IGalleryClient>(), photo, ct);
            // Until the last measured appearance is over, plus time for its slowest (overall: track end) events.
            while (camera.Appearances.Count < firstAppearance + warmup + appearances + 1)
                await Task.Delay(200, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        var shown = camera.Appearances.Skip(firstAppearance).ToArray();
        return LatencySamples.Pair(shown, warmup, appearances, timing?.Events.Where(e => e.CamId == CamId).ToList() ?? [], webhook.Alerts);
    }

    /// <summary>The faces of the photo, each as its own person, as the demo seeds its watchlist.</summary>
    private static async Task SeedAsync(IGalleryClient galleries, string photo, CancellationToken ct)
    {
        var detected = await galleries.DetectAsync(await File.ReadAllBytesAsync(photo, ct), FaceFeatures.Facen, ct: ct);
        var gallery = galleries.Gallery("watchlist");
        await gallery.CreateAsync(ct);
        int i = 0;
        foreach (var face in detected.Faces.Where(f => f.Id is not null).OrderBy(f => f.BBox.Left))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"person {++i}");
            await gallery.AddAsync(null, FaceSource.FromDetection(face.Id!), new Dictionary<string, MetaValue> { ["name"] = name },
                regenerateAttempts: 5, ct: ct, subject: name);
        }
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
