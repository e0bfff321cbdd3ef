namespace Router.Host.Plugins;

/// <summary>Where a plugin is in its life.</summary>
public enum PluginState
{
    /// <summary>Found, not loaded yet.</summary>
    Pending,
    /// <summary>Loaded and receiving faces.</summary>
    Loaded,
    /// <summary>Loading failed; see the error. It receives nothing until a fixed build is dropped in.</summary>
    Failed,
    /// <summary>Switched off in configuration.</summary>
    Disabled,
    /// <summary>Shut down and unloaded (host stopping, or its folder removed).</summary>
    Unloaded,
}
