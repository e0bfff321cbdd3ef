namespace Router.Host.Plugins;

/// <summary>Where a plugin runs (<see cref="PluginOptions.Isolation"/>).</summary>
public enum PluginIsolation
{
    /// <summary>In the host's process, in its own load context: a call costs nothing more than the call.</summary>
    InProcess,

    /// <summary>In a child process of the host, over a pipe: contained, at the cost of serializing each face.</summary>
    Process,
}
