namespace Router.Host.Plugins;

/// <summary>Machine codes of plugin loading failures, reported in the plugin's state and by GET /v1/plugins.</summary>
public static class PluginErrorCodes
{
    /// <summary>The folder has no main assembly, or it cannot be loaded.</summary>
    public const string LoadError = "PLUGIN_LOAD_ERROR";
    /// <summary>The main assembly has no usable public class implementing IFaceRouterPlugin (or several and no Type was set).</summary>
    public const string NoPluginType = "PLUGIN_TYPE_NOT_FOUND";
    /// <summary>The plugin's constructor threw.</summary>
    public const string ConstructorError = "PLUGIN_CONSTRUCTOR_ERROR";
    /// <summary>No plugin of that name.</summary>
    public const string NotFound = "PLUGIN_NOT_FOUND";
    /// <summary>The plugin was built against another major version of Router.Abstractions than the host's.</summary>
    public const string IncompatibleContract = "PLUGIN_INCOMPATIBLE_CONTRACT";

    /// <summary>An isolated plugin's process ended during the call (crash, exit, exhausted heap).</summary>
    public const string ProcessExited = "PLUGIN_PROCESS_EXITED";

    /// <summary>An isolated plugin's process is down and being started again.</summary>
    public const string ProcessDown = "PLUGIN_PROCESS_DOWN";
}
