namespace Router.Host.Plugins;

/// <summary>Options of one plugin (<c>Plugins:Items:NAME</c>).</summary>
public sealed class PluginOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The main assembly's name (without .dll); default: the folder name.</summary>
    public string? Assembly { get; set; }

    /// <summary>Full name of the plugin class, needed only when the assembly holds several.</summary>
    public string? Type { get; set; }

    /// <summary>This plugin's ProcessAsync timeout; default <see cref="PluginsOptions.ProcessTimeout"/>.</summary>
    public TimeSpan? ProcessTimeout { get; set; }

    /// <summary>
    /// <c>in_process</c> (default: fastest) or <c>process</c>: the plugin runs in a child process, so that
    /// a crash, <c>Environment.Exit</c>, a stack overflow or runaway memory ends only that process, which
    /// is started again (README: "Isolated plugins").
    /// </summary>
    public PluginIsolation Isolation { get; set; } = PluginIsolation.InProcess;

    /// <summary>The managed heap limit of an isolated plugin's process, in MiB.</summary>
    public int MemoryLimitMiB { get; set; } = DefaultMemoryLimitMiB;

    /// <summary>
    /// 1 GiB: the sample plugins run in under 100 MiB of heap (Watchlist with a 10,000-face gallery client
    /// cache included), so this leaves a plugin ten times that before it is stopped.
    /// </summary>
    public const int DefaultMemoryLimitMiB = 1024;

    // The plugin's own settings live in the "Settings" sub-section; they are given to the plugin
    // as IConfiguration and flattened in IPluginContext.Settings, never bound here.
}
