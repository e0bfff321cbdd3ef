namespace Router.Tests.Common.Servers;

/// <summary>
/// A real PostgreSQL 15 for tests: initdb into a temp folder, pg_ctl start on 127.0.0.1 with
/// a free port (trust authentication, socket in the temp folder), stopped and deleted on
/// Dispose. Use it as an xunit class or collection fixture; each test takes its own database
/// from <see cref="CreateDatabase"/>. When running as root the server runs as the
/// 'postgres' user (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";
    private static int _databases;
    private readonly string _root;
    private readonly string _data;
    private bool _running;

    /// <summary>Null when the binaries are installed, else why the PostgreSQL tests cannot run.</summary>
    public static string? UnavailableReason =>
        File.Exists(Path.Combine(BinDir, "initdb")) && File.Exists(Path.Combine(BinDir, "pg_ctl"))
            ? null
            : $"PostgreSQL 15 binaries are not installed in {BinDir} (apt-get install postgresql, or ./router setup)";

    public PostgresServer()
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException(reason);
        _root = Path.Combine(Path.GetTempPath(), "router-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        bool root = Environment.UserName == "root";
        if (root) ExternalProcess.Run("chown", ["postgres:postgres", _root]);
        Port = FreePort.Next();
        IsRoot = root;
        AsPostgres(root, "initdb", "-D", _data, "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        Start();
    }

    private bool IsRoot { get; }
    public int Port { get; }

    /// <summary>Creates a fresh database and returns its Npgsql connection string.</summary>
    public string CreateDatabase(string? prefix = null)
    {
        var name = $"{prefix ?? "test"}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}".ToLowerInvariant();
        name = name[..Math.Min(name.Length, 48)];
        AsPostgres(IsRoot, "createdb", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", name);
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=30";

    private static void AsPostgres(bool root, string tool, params string[] args)
    {
        var path = Path.Combine(BinDir, tool);
        if (root) ExternalProcess.Run("runuser", ["-u", "postgres", "--", path, .. args], TimeSpan.FromSeconds(120));
        else ExternalProcess.Run(path, args, TimeSpan.FromSeconds(120));
    }

    /// <summary>Stops the server at once (like a crash: no shutdown checkpoint), keeping its data for <see cref="Start"/>.</summary>
    public void Stop()
    {
        AsPostgres(IsRoot, "pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        _running = false;
    }

    /// <summary>Starts a stopped server again on the same port.</summary>
    public void Start()
    {
        AsPostgres(IsRoot, "pg_ctl", "-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_root} -c max_connections=200", "start");
        _running = true;
    }

    public void Dispose()
    {
        if (_running)
        {
            try { AsPostgres(IsRoot, "pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop"); }
            catch (Exception) { /* already gone: nothing to stop */ }
            _running = false;
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
