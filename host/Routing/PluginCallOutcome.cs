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
    /// <summary>The plugin's own queue was full, or no slot of its freed in time: dropped for it alone.</summary>
    Dropped,
    /// <summary>The plugin is quarantined for timing out: it gets no events for now.</summary>
    Quarantined,
}
