using System.Diagnostics;

namespace Router.Host.Plugins;

/// <summary>
/// What an operator asks about one plugin: faces processed, failures, timeouts, time spent.
/// Updated lock-free from concurrent routing; survives hot reloads (they count the plugin, not a build).
/// </summary>
public sealed class PluginCounters
{
    private long _processed, _errors, _timeouts, _ticks, _preprocessErrors, _preprocessTimeouts, _notInterested, _dropped, _quarantined;

    public void Processed(long elapsedTicks)
    {
        Interlocked.Increment(ref _processed);
        Interlocked.Add(ref _ticks, elapsedTicks);
    }

    public void Error() => Interlocked.Increment(ref _errors);
    public void Timeout() => Interlocked.Increment(ref _timeouts);
    public void PreprocessError() => Interlocked.Increment(ref _preprocessErrors);
    public void PreprocessTimeout() => Interlocked.Increment(ref _preprocessTimeouts);
    public void NotInterested() => Interlocked.Increment(ref _notInterested);
    /// <summary>A call dropped for this plugin: its queue was full or no slot freed within the timeout.</summary>
    public void Dropped() => Interlocked.Increment(ref _dropped);
    /// <summary>An event skipped because the plugin was quarantined.</summary>
    public void Quarantined() => Interlocked.Increment(ref _quarantined);

    public PluginCountersSnapshot Snapshot()
    {
        long processed = Interlocked.Read(ref _processed), ticks = Interlocked.Read(ref _ticks);
        return new PluginCountersSnapshot(
            processed, Interlocked.Read(ref _errors), Interlocked.Read(ref _timeouts),
            processed == 0 ? 0 : ticks * 1000.0 / Stopwatch.Frequency / processed,
            Interlocked.Read(ref _preprocessErrors), Interlocked.Read(ref _preprocessTimeouts), Interlocked.Read(ref _notInterested),
            Interlocked.Read(ref _dropped), Interlocked.Read(ref _quarantined));
    }
}
