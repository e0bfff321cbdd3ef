using Router.Tests.Common.Servers;

namespace Router.Host.Tests.Api;

/// <summary>Where a conformance run keeps its faces: a fresh SQLite folder or a fresh PostgreSQL database.</summary>
public sealed class GalleryBackend : IDisposable
{
    private readonly string? _dir;

    private GalleryBackend(Dictionary<string, string?> settings, string? dir)
    {
        Settings = settings;
        _dir = dir;
    }

    public Dictionary<string, string?> Settings { get; }

    public static GalleryBackend Sqlite()
    {
        var dir = Path.Combine(Path.GetTempPath(), "router-api-" + Guid.NewGuid().ToString("N")[..10]);
        return new GalleryBackend(new() { ["Galleries:Store"] = "sqlite", ["Galleries:DataDir"] = dir }, dir);
    }

    public static GalleryBackend Postgres(PostgresServer server) =>
        new(new() { ["Galleries:Store"] = "postgres", ["Galleries:PostgresConnectionString"] = server.CreateDatabase("gal") }, null);

    public void Dispose()
    {
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
