using System.Diagnostics;
using Router.Tests.Common.Servers;

namespace Router.Host.Tests.Api;

/// <summary>
/// A real `router serve` child process (the built router.dll next to the tests) on
/// 127.0.0.1 with a free port; <see cref="KillHard"/> sends SIGKILL.
/// </summary>
public sealed class RouterServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private RouterServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<RouterServeProcess> StartAsync(string dataDir)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "router.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("the router executable is not next to the tests", dll);
        int port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "serve", "--urls", $"http://127.0.0.1:{port}", "--data", dataDir }) psi.ArgumentList.Add(a);
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start router serve");
        var server = new RouterServeProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => { lock (server._output) server._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (server._output) server._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException("router serve exited: " + server.Output);
            try
            {
                if ((await http.GetAsync("v1/galleries")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        server.Dispose();
        throw new TimeoutException("router serve did not answer within 60 s: " + server.Output);
    }

    /// <summary>SIGKILL: no shutdown code runs, only what was durably written survives.</summary>
    public void KillHard()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }
}
