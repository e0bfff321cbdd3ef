using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Host.Composition;
using Router.Host.Pipeline;
using Router.Host.Tests.Plugins;
using Router.Host.Tests.Logging;
using Xunit;
using Router.Tests.Common.Servers;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// The composed router of `router run` (RouterHost), in process, on a free 127.0.0.1 port with
/// its data and plugins in a temp folder, the demo off. Can be stopped and started again on
/// the same data folder, as a restart of the process would. What it logs (Logging:LogLevel,
/// Warning and above by default) is kept in <see cref="Log"/>.
/// </summary>
public sealed class RouterTestHost : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    /// <param name="plugins">The sample plugins present in the plugins folder; the embedded defaults' others are disabled.</param>
    public RouterTestHost(string root, IEnumerable<string> plugins, IDictionary<string, string?>? settings = null)
    {
        Root = root;
        Port = FreePort.Next();
        _settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{Port}",
            ["DataDir"] = Path.Combine(root, "data"),
            ["Demo:Enabled"] = "false",
            ["Plugins:Directory"] = PluginsDirectory,
            ["Plugins:ShadowDirectory"] = Path.Combine(root, "shadow"),
            ["Plugins:HotReload"] = "false",
            ["Events:HeartbeatSeconds"] = "0.5",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var name in SamplePluginFolders.Projects.Keys.Except(plugins)) _settings[$"Plugins:Items:{name}:Enabled"] = "false";
        if (settings is not null) foreach (var (k, v) in settings) _settings[k] = v;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A 2 s clip of a sample photo in the data folder's clips (where camera files may be, CameraSourceOptions).</summary>
    public static async Task<string> StillClipAsync(string root, string name, string photo = "sample2.jpg", int seconds = 2)
    {
        var clip = Path.Combine(root, "data", "clips", name + ".mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(clip)!);
        File.Copy(await Router.Tests.Common.Video.TestVideos.StillAsync(photo, seconds), clip);
        return clip;
    }

    public static string NewRoot() => Path.Combine(Path.GetTempPath(), "router-e2e", Guid.NewGuid().ToString("N")[..10]);

    public string Root { get; }
    public int Port { get; }
    public string PluginsDirectory => Path.Combine(Root, "plugins");
    public string PluginData(string plugin) => Path.Combine(Root, "data", "plugins", plugin);

    /// <summary>Posts <paramref name="count"/> sample faces (event ids 1..count) as the cameras post them, onto the host's event sink.</summary>
    public async Task PostSampleFacesAsync(int count)
    {
        var sink = Services.GetRequiredService<IFaceEventSink>();
        for (var i = 1; i <= count; i++)
            await sink.PublishAsync(new FaceEvent { EventId = (ulong)i, Request = PluginHostHarness.SampleFace(camId: "door") }, CancellationToken.None);
    }

    /// <summary>The event ids the probe plugin <paramref name="plugin"/> processed, in the order it recorded them (its received.jsonl).</summary>
    public List<ulong> ProbeReceived(string plugin)
    {
        var file = Path.Combine(PluginData(plugin), "received.jsonl");
        if (!File.Exists(file)) return [];
        return File.ReadAllLines(file).Where(l => l.Length > 0)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetUInt64()).ToList();
    }
    public HttpClient Http { get; }
    /// <summary>Everything the host logged, across restarts.</summary>
    public CapturingLoggerProvider Log { get; } = new();
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    public async Task StartAsync()
    {
        var builder = RouterHost.CreateBuilder([], null, _settings);
        builder.Logging.AddProvider(Log);
        _app = RouterHost.Build(builder);
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        // Taken first: a dispose after a test gave up waiting on a stop must not stop the same app again.
        if (Interlocked.Exchange(ref _app, null) is not { } app) return;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (await condition()) return true;
            await Task.Delay(200);
        }
        return await condition();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
