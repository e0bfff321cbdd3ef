namespace Router.Host.Plugins;

/// <summary>
/// The <c>Plugins</c> configuration section. Example:
/// <code>
/// "Plugins": {
///   "Directory": "plugins",
///   "Order": [ "watchlist", "visitors", "eventlog" ],
///   "ProcessTimeout": "00:00:05",
///   "Items": {
///     "watchlist": { "Assembly": "Router.Plugins.Watchlist", "Settings": { "galleries": [ "vip" ] } },
///     "eventlog":  { "Enabled": false }
///   }
/// }
/// </code>
/// Every folder of <see cref="Directory"/> is a plugin named after the folder, unless disabled.
/// </summary>
public sealed class PluginsOptions
{
    public const string SectionName = "Plugins";

    /// <summary>One sub-folder per plugin, each holding the plugin's build output (with its .deps.json).</summary>
    public string Directory { get; set; } = "plugins";

    /// <summary>
    /// Where plugin folders are copied before loading, so that the originals are never locked
    /// or memory-mapped and can be replaced while the host runs. Default: a per-process temp folder.
    /// </summary>
    public string? ShadowDirectory { get; set; }

    /// <summary>Parent of every plugin's <c>IPluginContext.DataDirectory</c> (<c>DataDirectory/NAME</c>).</summary>
    public string DataDirectory { get; set; } = "data/plugins";

    /// <summary>Plugins named here come first, in this order; the others follow by name.</summary>
    public List<string> Order { get; set; } = [];

    /// <summary>Per-plugin options by plugin (folder) name.</summary>
    public Dictionary<string, PluginOptions> Items { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Longest time a plugin's ProcessAsync may take for one face before it is counted as a timeout.</summary>
    public TimeSpan ProcessTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time a plugin's PreprocessAsync may take; on timeout the plugin skips the face.</summary>
    public TimeSpan PreprocessTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for one plugin's ShutdownAsync.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On reload or stop, how long in-flight calls on the old instance may still run before it is shut down anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Calls of one plugin running at once, abandoned ones (past their timeout, still running)
    /// included: what a plugin that blocks threads can hold, counted apart for ProcessAsync and for
    /// PreprocessAsync. 4: twice the routing workers (Events:Workers, 2), so a healthy plugin never
    /// waits, a stuck one holds at most 4 threads in each.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = 4;

    /// <summary>Calls of one plugin waiting for a slot; beyond, the event is dropped for it (counted).</summary>
    public int MaxQueuedCalls { get; set; } = 16;

    /// <summary>Timeouts (and calls dropped for want of a slot) in a row after which the plugin is quarantined.</summary>
    public int QuarantineAfterTimeouts { get; set; } = 3;

    /// <summary>First quarantine; each new one doubles it, up to 10 minutes.</summary>
    public TimeSpan QuarantineDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Watch plugin folders and swap in a new build when its files change.</summary>
    public bool HotReload { get; set; } = true;

    /// <summary>Quiet time after the last file change before a plugin is reloaded (a copy writes many files).</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(750);

    public PluginOptions For(string name) => Items.TryGetValue(name, out var o) ? o : new PluginOptions();
}
