using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Router.Tests.Common.Servers;

/// <summary>
/// A real server process for RTSP tests, started on 127.0.0.1 and killed (process tree) on
/// Stop/Dispose. Start can be called again after Stop, on the same ports, to test reconnects.
/// </summary>
public abstract class RtspServerProcess : IAsyncDisposable
{
    private Process? _process;

    public static int FreeTcpPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    protected abstract ProcessStartInfo StartInfo();

    /// <summary>Waits until the server is up: a line of output, or a port that accepts connections.</summary>
    protected abstract Task WaitReadyAsync(Process process, CancellationToken ct);

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var psi = StartInfo();
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {psi.FileName}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await WaitReadyAsync(_process, cts.Token);
        }
        catch
        {
            Stop();
            throw;
        }
        // Keep draining output so the server never blocks on a full pipe.
        _ = DrainAsync(_process.StandardError);
    }

    protected static async Task DrainAsync(StreamReader reader)
    {
        try { while (await reader.ReadLineAsync() != null) { } } catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    protected static async Task WaitForLineAsync(StreamReader reader, string text, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
            if (line.Contains(text, StringComparison.Ordinal))
            {
                _ = DrainAsync(reader);
                return;
            }
        throw new InvalidOperationException($"server exited before printing {text}");
    }

    protected static async Task WaitForPortAsync(int port, Process process, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited) throw new InvalidOperationException($"server exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(ct)}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    public void Stop()
    {
        var p = _process;
        _process = null;
        if (p == null) return;
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        p.WaitForExit(5000);
        p.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
