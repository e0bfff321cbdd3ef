namespace Router.Host.Pipeline;

/// <summary>
/// Live event ids: the process starts at (Unix milliseconds &lt;&lt; 20) | 20 random bits and counts
/// up. Ids are monotonic within a process, ordered roughly by time across restarts, and two
/// hosts started in the same millisecond differ by the random bits.
/// </summary>
public sealed class TimeOrderedEventIdGenerator : IEventIdGenerator
{
    private long _last = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 20) | (long)Random.Shared.Next(1 << 20);

    public ulong Next() => (ulong)Interlocked.Increment(ref _last);
}
