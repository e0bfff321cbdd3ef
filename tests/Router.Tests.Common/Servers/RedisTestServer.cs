namespace Router.Tests.Common.Servers;

/// <summary>
/// A real redis-server on 127.0.0.1 with a free port, no persistence, in a temp folder;
/// shut down on Dispose; <see cref="Stop"/> and <see cref="Start"/> make an outage and a restart.
/// </summary>
public sealed class RedisTestServer : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-redis-" + Guid.NewGuid().ToString("N")[..10]);
    private bool _running;

    public RedisTestServer()
    {
        if (!File.Exists("/usr/bin/redis-server")) throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server, or ./router setup)");
        Directory.CreateDirectory(_dir);
        Port = FreePort.Next();
        Start();
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>) on the same port, as a Redis restart would.</summary>
    public void Start()
    {
        if (_running) return;
        ExternalProcess.Run("/usr/bin/redis-server", ["--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no",
            "--dir", _dir, "--daemonize", "yes", "--pidfile", Path.Combine(_dir, "redis.pid")]);
        _running = true;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Ping())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("redis-server did not answer");
            Thread.Sleep(50);
        }
    }

    public int Port { get; }
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=1000,syncTimeout=1000,connectRetry=1";

    private bool Ping()
    {
        try { return ExternalProcess.Run("redis-cli", ["-h", "127.0.0.1", "-p", Port.ToString(), "ping"]).Contains("PONG"); }
        catch (InvalidOperationException) { return false; }
    }

    public void Stop()
    {
        if (!_running) return;
        try { ExternalProcess.Run("redis-cli", ["-h", "127.0.0.1", "-p", Port.ToString(), "shutdown", "nosave"]); }
        catch (InvalidOperationException) { /* shutdown closes the connection before answering */ }
        _running = false;
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
