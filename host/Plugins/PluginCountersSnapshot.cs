namespace Router.Host.Plugins;

/// <summary>
/// A plugin's counters at one moment. <c>Processed</c> counts ProcessAsync calls that completed
/// in time; <c>MeanMs</c> is their mean duration; <c>Errors</c> and <c>Timeouts</c> count the
/// calls that threw or ran past the timeout; <c>NotInterested</c> the faces it declined (None);
/// <c>Dropped</c> the calls dropped for it (its queue full, no slot in time); <c>Quarantined</c>
/// the events it missed while quarantined.
/// </summary>
public sealed record PluginCountersSnapshot(
    long Processed, long Errors, long Timeouts, double MeanMs,
    long PreprocessErrors, long PreprocessTimeouts, long NotInterested, long Dropped = 0, long Quarantined = 0);
