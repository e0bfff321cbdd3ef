using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Tests.Common.Servers;

namespace Router.Host.Tests.Cluster;

/// <summary>
/// One real `router run` node of a test cluster (the built router.dll next to the tests) on 127.0.0.1
/// with a free port, its own data folder, no plugins, PostgreSQL for galleries and cameras, and short
/// cluster timings. <see cref="Kill"/> sends SIGKILL.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ClusterNode(string name, Process process, int port, string root)
    {
        Name = name;
        _process = process;
        Port = port;
        Root = root;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Name { get; }
    public int Port { get; }
    public string Root { get; }
    public HttpClient Http { get; }
    public bool Exited => _process.HasExited;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The timings the fault tests run with: a 0.5 s tick, fencing after 2 s, takeover 3 s after the lock.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastTimings = new Dictionary<string, string>
    {
        ["Cluster:TickInterval"] = "00:00:00.5",
        ["Cluster:FenceAfter"] = "00:00:02",
        ["Cluster:TakeoverGrace"] = "00:00:03",
        ["Cluster:SettleTime"] = "00:00:02",
        ["Cluster:KeepAliveSeconds"] = "2",
    };

    public IReadOnlyDictionary<string, string>? Settings { get; private init; }
    public string Postgres { get; private init; } = "";

    /// <summary>The same node again (name, port, settings) after it stopped.</summary>
    public Task<ClusterNode> RestartAsync() => StartAsync(Name, Postgres, Settings, Port);

    public static async Task<ClusterNode> StartAsync(string name, string postgres, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "router.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("the router executable is not next to the tests", dll);
        var root = Path.Combine(Path.GetTempPath(), "router-cluster", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(root, "plugins"));
        var p = port ?? FreePort.Next();
        var all = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{p}",
            ["DataDir"] = Path.Combine(root, "data"),
            ["Demo:Enabled"] = "false",
            ["Plugins:Directory"] = Path.Combine(root, "plugins"),
            ["Plugins:ShadowDirectory"] = Path.Combine(root, "shadow"),
            ["Plugins:HotReload"] = "false",
            ["Galleries:Store"] = "postgres",
            ["Galleries:PostgresConnectionString"] = postgres,
            ["Galleries:FollowChanges"] = "true",
            ["Cluster:Enabled"] = "true",
            ["Cluster:NodeName"] = name,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Router.Host.Cluster"] = "Information",
        };
        foreach (var plugin in new[] { "watchlist", "visitors", "eventlog", "mqtt" }) all[$"Plugins:Items:{plugin}:Enabled"] = "false";
        foreach (var (k, v) in FastTimings) all[k] = v;
        if (settings is not null) foreach (var (k, v) in settings) all[k] = v;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("run");
        foreach (var (k, v) in all) psi.ArgumentList.Add($"--{k}={v}");
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start router run");
        var node = new ClusterNode(name, process, p, root) { Settings = settings, Postgres = postgres };
        process.OutputDataReceived += (_, e) => { lock (node._output) node._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (node._output) node._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"node {name} exited: {node.Output}");
            try
            {
                if ((await node.Http.GetAsync("v1/cluster")).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await node.DisposeAsync();
        throw new TimeoutException($"node {name} did not answer within 90 s: {node.Output}");
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{Name} GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task PutCameraAsync(string id, object body)
    {
        using var response = await Http.PutAsJsonAsync($"v1/cameras/{id}", body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{Name} PUT camera {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The cameras this node runs itself now (its own pipelines: starting, streaming or restarting).</summary>
    public async Task<IReadOnlyDictionary<string, long>> RunningAsync()
    {
        var result = new Dictionary<string, long>();
        foreach (var c in (await GetAsync("v1/cameras")).GetProperty("cameras").EnumerateArray())
        {
            if (!c.TryGetProperty("statistics", out var s) || s.ValueKind != JsonValueKind.Object) continue;
            result[c.GetProperty("id").GetString()!] = s.GetProperty("frames_processed").GetInt64();
        }
        return result;
    }

    /// <summary>SIGTERM, as a rolling restart stops a node: it stops its cameras and frees their locks, then exits.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])!) await kill.WaitForExitAsync();
        if (!await Task.Run(() => _process.WaitForExit(TimeSpan.FromSeconds(30)))) Kill();
    }

    /// <summary>SIGKILL: no shutdown code runs; the kernel closes its sockets.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        Http.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
