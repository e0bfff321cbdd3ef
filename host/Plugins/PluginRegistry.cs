using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Abstractions;

namespace Router.Host.Plugins;

/// <summary>
/// Every plugin the host knows, in routing order: one entry per folder of the plugins directory
/// (plus configured plugins whose folder is missing, reported as failed). Loads them at start,
/// reloads one when its folder changes, and shuts them all down at stop.
/// </summary>
public sealed class PluginRegistry
{
    private readonly PluginsOptions _options;
    private readonly PluginLoader _loader;
    private readonly ILogger<PluginRegistry> _logger;
    private readonly object _entriesLock = new();
    private volatile PluginEntry[] _entries = [];
    private volatile bool _stopped;

    /// <summary>True once <see cref="ShutdownAsync"/> began: no new faces are routed.</summary>
    public bool Stopped => _stopped;

    public PluginRegistry(IOptions<PluginsOptions> options, PluginLoader loader, ILogger<PluginRegistry> logger)
    {
        _options = options.Value;
        _loader = loader;
        _logger = logger;
    }

    /// <summary>The plugins in routing order (a snapshot; a new folder appends one).</summary>
    public IReadOnlyList<PluginEntry> Entries => _entries;

    public string Directory => Path.GetFullPath(_options.Directory);

    public PluginEntry? Find(string name) => _entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The current generation of a loaded plugin (IPluginContext.GetPlugin), or null.</summary>
    public IFaceRouterPlugin? GetPlugin(string name)
    {
        try { return Find(name)?.Current?.Plugin; }
        catch (ObjectDisposedException) { return null; }
    }

    public IReadOnlyList<PluginInfo> Describe() => _entries.Select(e => e.Describe()).ToArray();

    /// <summary>Finds the plugin folders and loads every enabled plugin; one that fails is reported and skipped.</summary>
    public async Task LoadAllAsync(CancellationToken ct)
    {
        var root = Directory;
        if (!System.IO.Directory.Exists(root))
        {
            _logger.LogWarning("Plugins directory {Directory} does not exist; creating it (no plugins loaded)", root);
            System.IO.Directory.CreateDirectory(root);
        }
        var names = System.IO.Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Concat(_options.Items.Keys)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var ordered = _options.Order.Where(o => names.Contains(o, StringComparer.OrdinalIgnoreCase))
            .Concat(names.Where(n => !_options.Order.Contains(n, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase))
            .Select(n => names.First(x => string.Equals(x, n, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        foreach (var missing in _options.Order.Where(o => !names.Contains(o, StringComparer.OrdinalIgnoreCase)))
            _logger.LogWarning("Plugins:Order names {Plugin}, which has no folder in {Directory}", missing, root);

        lock (_entriesLock) _entries = ordered.Select(NewEntry).ToArray();
        foreach (var entry in _entries)
            await LoadOrReloadAsync(entry, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads the plugin's folder again (hot reload) and swaps the new generation in; the old one
    /// drains and shuts down. A folder new since start becomes a new plugin; a removed folder
    /// unloads its plugin. A failed reload keeps the running generation and records the error.
    /// </summary>
    public async Task<PluginInfo> ReloadAsync(string name, CancellationToken ct)
    {
        var entry = Find(name);
        if (entry is null)
        {
            if (!System.IO.Directory.Exists(Path.Combine(Directory, name)))
                throw new RouterException(PluginErrorCodes.NotFound, $"no plugin named '{name}'");
            lock (_entriesLock)
            {
                entry = Find(name);
                if (entry is null)
                {
                    entry = NewEntry(name);
                    _entries = [.. _entries, entry];
                }
            }
        }
        await LoadOrReloadAsync(entry, ct).ConfigureAwait(false);
        return entry.Describe();
    }

    /// <summary>Retires every plugin: in-flight calls drain, ShutdownAsync is called once each, contexts unload.</summary>
    public async Task ShutdownAsync(CancellationToken ct)
    {
        _stopped = true;
        await Task.WhenAll(_entries.Select(async entry =>
        {
            await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var old = entry.Swap(null);
                if (old is not null)
                {
                    await old.RetireAsync(_options.DrainTimeout, _options.ShutdownTimeout, _logger, ct).ConfigureAwait(false);
                    entry.State = PluginState.Unloaded;
                }
            }
            finally { entry.Gate.Release(); }
        })).ConfigureAwait(false);
    }

    private PluginEntry NewEntry(string name)
    {
        var options = _options.For(name);
        return new PluginEntry(name, Path.Combine(Directory, name), options, options.ProcessTimeout ?? _options.ProcessTimeout)
        {
            Limiter = new PluginCallLimiter(_options.MaxConcurrentCalls, _options.MaxQueuedCalls),
            PreprocessLimiter = new PluginCallLimiter(_options.MaxConcurrentCalls, _options.MaxQueuedCalls),
            Quarantine = new PluginQuarantine(_options.QuarantineAfterTimeouts, _options.QuarantineDuration),
        };
    }

    private async Task LoadOrReloadAsync(PluginEntry entry, CancellationToken ct)
    {
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_stopped) return;
            if (!entry.Options.Enabled)
            {
                entry.State = PluginState.Disabled;
                _logger.LogInformation("Plugin {Plugin} is disabled in configuration", entry.Name);
                return;
            }
            var old = entry.Current;
            if (!System.IO.Directory.Exists(entry.Folder))
            {
                if (old is null)
                {
                    Fail(entry, PluginErrorCodes.LoadError, $"plugin folder {entry.Folder} does not exist");
                    return;
                }
                entry.Swap(null);
                entry.State = PluginState.Unloaded;
                _logger.LogInformation("Plugin {Plugin}: folder removed, unloading", entry.Name);
                await old.RetireAsync(_options.DrainTimeout, _options.ShutdownTimeout, _logger, ct).ConfigureAwait(false);
                return;
            }

            PluginInstance next;
            int generation = entry.Generations + 1;
            try
            {
                // Loading reads files and runs the plugin's constructor: off the caller's thread.
                next = await Task.Run(() => _loader.Load(entry, generation, GetPlugin), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var code = e is RouterException re ? re.Code : PluginErrorCodes.LoadError;
                if (old is null)
                {
                    Fail(entry, code, e.Message);
                    _logger.LogError(e, "Plugin {Plugin} failed to load ({Code}); skipped", entry.Name, code);
                }
                else
                {
                    // Keep serving with the running generation: a half-copied or broken build
                    // must not take a working plugin down.
                    entry.ErrorCode = code;
                    entry.Error = "reload failed, still running generation " + old.Generation + ": " + e.Message;
                    _logger.LogError(e, "Plugin {Plugin}: reload failed ({Code}); generation {Generation} keeps running",
                        entry.Name, code, old.Generation);
                }
                return;
            }

            entry.Generations = generation;
            entry.Swap(next);
            entry.State = PluginState.Loaded;
            entry.ErrorCode = null;
            entry.Error = null;
            if (old is not null)
            {
                entry.Reloads++;
                _logger.LogInformation("Plugin {Plugin}: generation {New} ({NewVersion}) replaces {Old} ({OldVersion})",
                    entry.Name, next.Generation, next.Version, old.Generation, old.Version);
                await old.RetireAsync(_options.DrainTimeout, _options.ShutdownTimeout, _logger, ct).ConfigureAwait(false);
            }
        }
        finally { entry.Gate.Release(); }
    }

    private static void Fail(PluginEntry entry, string code, string message)
    {
        entry.State = PluginState.Failed;
        entry.ErrorCode = code;
        entry.Error = message;
    }
}
