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

    // The plugin's own settings live in the "Settings" sub-section; they are given to the plugin
    // as IConfiguration and flattened in IPluginContext.Settings, never bound here.
}
