namespace Router.Host.Plugins;

/// <summary>
/// A plugin by name, across reloads: its state, its last error, its counters and the
/// generation that currently receives faces.
/// </summary>
public sealed class PluginEntry
{
    private volatile PluginInstance? _current;

    public PluginEntry(string name, string folder, PluginOptions options, TimeSpan processTimeout)
    {
        Name = name; Folder = folder; Options = options; ProcessTimeout = processTimeout;
    }

    public string Name { get; }
    public string Folder { get; }
    public PluginOptions Options { get; }
    public TimeSpan ProcessTimeout { get; }
    public PluginCounters Counters { get; } = new();
    /// <summary>This plugin's own bound on ProcessAsync calls at once and calls waiting (see <see cref="PluginCallLimiter"/>).</summary>
    public PluginCallLimiter Limiter { get; init; } = new(4, 16);
    /// <summary>
    /// The same bound for PreprocessAsync, apart: a plugin whose slots are all busy processing still
    /// answers the next face's preprocessing at once, so a slow ProcessAsync never holds up the
    /// routing worker that prepares the next face (only a slow PreprocessAsync can, up to its timeout).
    /// </summary>
    public PluginCallLimiter PreprocessLimiter { get; init; } = new(4, 16);
    public PluginQuarantine Quarantine { get; init; } = new(3, TimeSpan.FromMinutes(1));
    public PluginState State { get; internal set; } = PluginState.Pending;
    public string? ErrorCode { get; internal set; }
    public string? Error { get; internal set; }
    public int Generations { get; internal set; }
    public int Reloads { get; internal set; }

    /// <summary>Serialises load, reload and unload of this plugin.</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    public PluginInstance? Current => _current;

    /// <summary>Makes <paramref name="next"/> receive new events; returns the generation it replaced.</summary>
    internal PluginInstance? Swap(PluginInstance? next) => Interlocked.Exchange(ref _current, next);

    /// <summary>
    /// A lease on the current generation, or null when the plugin is not loaded. Retried when a
    /// reload retires the generation between the read and the lease.
    /// </summary>
    public PluginInstance? Acquire()
    {
        for (int i = 0; i < 100; i++)
        {
            var current = _current;
            if (current is null) return null;
            if (current.TryAcquire()) return current;
        }
        return null;
    }

    public PluginInfo Describe()
    {
        var current = _current;
        var until = Quarantine.Until(DateTimeOffset.UtcNow);
        var state = State == PluginState.Loaded && until is not null ? "quarantined" : State.ToString().ToLowerInvariant();
        return new PluginInfo(Name, current?.Version, state, ErrorCode, Error,
            current?.TypeName, current?.Generation, current?.LoadedAt, Reloads, Counters.Snapshot(),
            until, Quarantine.Times, Limiter.Running + PreprocessLimiter.Running, Limiter.Queued + PreprocessLimiter.Queued,
            Options.Isolation, current?.Isolated?.ProcessId, current?.Isolated?.Restarts ?? 0);
    }
}
