namespace Router.Host.Ingest;

/// <summary>
/// Exponential back-off between stream restarts: min, 2×min, 4×min ... up to max, for ever.
/// A run that delivered frames resets it, so a camera that drops now and then reconnects
/// quickly while one that never works is retried at the capped rate.
/// </summary>
public sealed class RestartBackoff
{
    private readonly TimeSpan _min, _max;
    private int _failures;

    public RestartBackoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max < min ? min : max;
    }

    public void Reset() => _failures = 0;

    public TimeSpan Next()
    {
        var factor = Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        var delay = TimeSpan.FromTicks((long)Math.Min(_min.Ticks * factor, _max.Ticks));
        return delay < _min ? _min : delay;
    }
}
