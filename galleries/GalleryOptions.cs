namespace Router.Galleries;

/// <summary>Configuration of the gallery engine (section "Galleries").</summary>
public sealed class GalleryOptions
{
    public const string Section = "Galleries";

    /// <summary>"sqlite" (default, a file under <see cref="DataDir"/>) or "postgres".</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>Folder of the SQLite file (created when missing).</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>Npgsql connection string when <see cref="Store"/> is "postgres".</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// Follow the writes of other Router nodes sharing the PostgreSQL store, so that a face added,
    /// changed or deleted on any node is searchable on this one within about a second (PostgreSQL
    /// LISTEN/NOTIFY plus a change log polled every second). Off for a single node.
    /// </summary>
    public bool FollowChanges { get; set; }

    /// <summary>
    /// How often the SQLite store's index snapshot is rewritten while Router runs, when anything
    /// changed (zero: only at shutdown). After a crash the next start loads the last snapshot and
    /// replays the changes made since from the store's change log (<see cref="Engine.GalleryEngine.IndexSnapshotInterval"/>).
    /// </summary>
    public TimeSpan IndexSnapshotInterval { get; set; } = Engine.GalleryEngine.DefaultIndexSnapshotInterval;

    /// <summary>How long a detection made with facen stays usable as a filter or add source.</summary>
    public TimeSpan DetectionTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>"memory" (default, this process) or "redis" (shared; needs <see cref="RedisConfiguration"/>).</summary>
    public string DetectionCache { get; set; } = "memory";

    /// <summary>StackExchange.Redis configuration string, e.g. "127.0.0.1:6379".</summary>
    public string? RedisConfiguration { get; set; }

    /// <summary>Most detections kept at once in memory; the least recently used go first (Redis: its maxmemory policy).</summary>
    public int DetectionCapacity { get; set; } = 100_000;

    /// <summary>Most meta keys of a face (see <see cref="Engine.MetaLimits.Default"/> for why these defaults).</summary>
    public int MetaMaxKeys { get; set; } = Engine.MetaLimits.Default.MaxKeys;

    /// <summary>Longest meta key, in UTF-8 bytes.</summary>
    public int MetaMaxKeyBytes { get; set; } = Engine.MetaLimits.Default.MaxKeyBytes;

    /// <summary>Largest meta value (a list: its strings together), in UTF-8 bytes.</summary>
    public int MetaMaxValueBytes { get; set; } = Engine.MetaLimits.Default.MaxValueBytes;

    /// <summary>Largest meta of a face, keys and values together, in UTF-8 bytes.</summary>
    public int MetaMaxTotalBytes { get; set; } = Engine.MetaLimits.Default.MaxTotalBytes;

    public Engine.MetaLimits MetaLimits => new(MetaMaxKeys, MetaMaxKeyBytes, MetaMaxValueBytes, MetaMaxTotalBytes);

    /// <summary>Validation messages, empty when the options are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (Store is not ("sqlite" or "postgres"))
            yield return $"Galleries:Store must be 'sqlite' or 'postgres', not '{Store}'";
        if (Store == "sqlite" && string.IsNullOrWhiteSpace(DataDir))
            yield return "Galleries:DataDir must name a folder for the SQLite store";
        if (Store == "postgres" && string.IsNullOrWhiteSpace(PostgresConnectionString))
            yield return "Galleries:PostgresConnectionString is required when Galleries:Store is 'postgres'";
        if (FollowChanges && Store != "postgres")
            yield return "Galleries:FollowChanges needs Galleries:Store 'postgres' (nodes share galleries through PostgreSQL)";
        if (DetectionCache is not ("memory" or "redis"))
            yield return $"Galleries:DetectionCache must be 'memory' or 'redis', not '{DetectionCache}'";
        if (DetectionCache == "redis" && string.IsNullOrWhiteSpace(RedisConfiguration))
            yield return "Galleries:RedisConfiguration is required when Galleries:DetectionCache is 'redis' (e.g. 127.0.0.1:6379)";
        if (DetectionTtl <= TimeSpan.Zero)
            yield return "Galleries:DetectionTtl must be positive (e.g. 00:10:00)";
        if (DetectionCapacity < 1)
            yield return "Galleries:DetectionCapacity must be at least 1";
        if (IndexSnapshotInterval < TimeSpan.Zero)
            yield return "Galleries:IndexSnapshotInterval must be zero (only at shutdown) or positive (e.g. 00:10:00)";
        foreach (var problem in MetaLimits.Validate(Section)) yield return problem;
    }
}
