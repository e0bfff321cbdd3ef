using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Router.Tests.Common.Servers;

/// <summary>
/// A real Mosquitto MQTT broker (Debian's <c>mosquitto</c>) for tests: on 127.0.0.1 with a free
/// port, anonymous access, no persistence, configured by a file written here. It can be stopped and
/// started again on the same port, as a broker restart would; a restarted broker has forgotten its
/// retained messages (persistence is off). Killed and deleted on Dispose.
/// </summary>
public sealed class MosquittoServer : IDisposable
{
    public const string Binary = "/usr/sbin/mosquitto";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-mosquitto-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _config;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Null when the broker is installed, else why the MQTT tests cannot run.</summary>
    public static string? UnavailableReason =>
        File.Exists(Binary) ? null : $"mosquitto is not installed ({Binary} is missing): apt-get install mosquitto, or ./router setup";

    public MosquittoServer()
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException(reason);
        Directory.CreateDirectory(_dir);
        Port = FreePort.Next();
        _config = Path.Combine(_dir, "mosquitto.conf");
        File.WriteAllText(_config, $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            connection_messages true
            """);
        Start();
    }

    public int Port { get; }

    /// <summary>What the broker printed (its log), for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the broker and waits until it accepts connections.</summary>
    public void Start()
    {
        if (_process is { HasExited: false }) return;
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_config);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Binary}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Accepts())
        {
            if (process.HasExited) throw new InvalidOperationException($"mosquitto exited with {process.ExitCode}: {Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"mosquitto did not listen on 127.0.0.1:{Port}: {Output}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Stops the broker at once (SIGKILL): clients see their connections drop, as in a crash or power cut.</summary>
    public void Stop()
    {
        if (_process is not { } process) return;
        _process = null;
        try { if (!process.HasExited) process.Kill(); process.WaitForExit(10_000); }
        catch (InvalidOperationException) { /* already gone */ }
        process.Dispose();
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
