using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Router.Host.Plugins;

/// <summary>
/// Watches the plugins directory and reloads a plugin when files of its folder change (or a
/// new folder appears, or one is removed). Changes are debounced per plugin: copying a build
/// writes many files, and the plugin is reloaded once, after <see cref="PluginsOptions.ReloadDebounce"/>
/// of quiet. A reload that fails (a half-copied folder) is retried by the next change.
/// </summary>
public sealed class PluginHotReloader(PluginRegistry registry, IOptions<PluginsOptions> options, ILogger<PluginHotReloader> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, DateTime> _changed = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _signal = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.HotReload) return;
        var root = registry.Directory;
        Directory.CreateDirectory(root);
        using var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Changed += (_, e) => OnChange(root, e.FullPath);
        watcher.Created += (_, e) => OnChange(root, e.FullPath);
        watcher.Deleted += (_, e) => OnChange(root, e.FullPath);
        watcher.Renamed += (_, e) => { OnChange(root, e.OldFullPath); OnChange(root, e.FullPath); };
        watcher.Error += (_, e) => logger.LogWarning(e.GetException(), "Plugin folder watcher lost events; reload plugins by touching their folders");
        watcher.EnableRaisingEvents = true;
        logger.LogInformation("Watching {Directory} for plugin changes", root);

        while (!stoppingToken.IsCancellationRequested)
        {
            // Wake on a change or when the earliest pending plugin's quiet time is over.
            var now = DateTime.UtcNow;
            var due = _changed.Where(kv => now - kv.Value >= o.ReloadDebounce).Select(kv => kv.Key).ToList();
            foreach (var name in due)
            {
                if (!_changed.TryRemove(new KeyValuePair<string, DateTime>(name, _changed.GetValueOrDefault(name)))) continue;
                try
                {
                    var info = await registry.ReloadAsync(name, stoppingToken).ConfigureAwait(false);
                    logger.LogInformation("Plugin {Plugin} reloaded after a change: {State} {Version}", name, info.State, info.Version);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
                catch (Exception e)
                {
                    logger.LogError(e, "Plugin {Plugin}: reload after a change failed", name);
                }
            }
            var wait = _changed.IsEmpty ? Timeout.InfiniteTimeSpan
                : _changed.Values.Min() + o.ReloadDebounce - DateTime.UtcNow;
            if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.FromMilliseconds(10)) wait = TimeSpan.FromMilliseconds(10);
            try { await _signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private void OnChange(string root, string fullPath)
    {
        var relative = Path.GetRelativePath(root, fullPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || relative == ".") return;
        var name = relative.Split(Path.DirectorySeparatorChar, 2)[0];
        if (name.Length == 0 || name.StartsWith('.')) return;
        _changed[name] = DateTime.UtcNow;
        _signal.Release();
    }
}
