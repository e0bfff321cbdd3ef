namespace Router.Host.Plugins;

/// <summary>
/// Takes a plugin that keeps timing out off the event path for a while: after
/// <c>QuarantineAfterTimeouts</c> timeouts (or calls dropped for want of a slot) in a row it gets
/// no events for <c>QuarantineDuration</c>, doubled at each new quarantine up to 10 minutes; then
/// it is tried again, and one call in time ends the streak and the back-off. Its events are
/// skipped, not queued, while it is out.
/// </summary>
public sealed class PluginQuarantine(int after, TimeSpan duration)
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(10);
    private readonly object _gate = new();
    private int _streak;
    private int _times;
    private DateTimeOffset? _until;

    /// <summary>Quarantines so far.</summary>
    public int Times { get { lock (_gate) return _times; } }

    /// <summary>When the current quarantine ends; null when the plugin is not quarantined.</summary>
    public DateTimeOffset? Until(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_until is { } u && now >= u) _until = null; // over: tried again; one more timeout puts it back
            return _until;
        }
    }

    /// <summary>A timeout; the end of the quarantine it starts, if it starts one.</summary>
    public DateTimeOffset? OnTimeout(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_until is not null || ++_streak < after) return null;
            _streak = after - 1; // on probation when it comes back
            _times++;
            var length = TimeSpan.FromTicks(Math.Min(Longest.Ticks, duration.Ticks * (1L << Math.Min(_times - 1, 20))));
            return _until = now + length;
        }
    }

    public void OnSuccess()
    {
        lock (_gate)
        {
            _streak = 0;
            if (_until is null) _times = 0;
        }
    }
}
