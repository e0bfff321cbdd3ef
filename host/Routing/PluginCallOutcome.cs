namespace Router.Host.Routing;

public enum PluginCallOutcome
{
    /// <summary>ProcessAsync completed in time.</summary>
    Processed,
    /// <summary>PreprocessAsync returned None: the plugin did not want the face.</summary>
    NotInterested,
    /// <summary>PreprocessAsync or ProcessAsync threw.</summary>
    Failed,
    /// <summary>PreprocessAsync or ProcessAsync ran past its timeout.</summary>
    TimedOut,
    /// <summary>The face was not processed because extraction failed.</summary>
    Skipped,
}
