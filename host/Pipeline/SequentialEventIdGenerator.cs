namespace Router.Host.Pipeline;

/// <summary>Replay event ids: 1, 2, 3 ... so that the same video gives the same ids.</summary>
public sealed class SequentialEventIdGenerator(ulong first = 1) : IEventIdGenerator
{
    private long _next = (long)first - 1;

    public ulong Next() => (ulong)Interlocked.Increment(ref _next);
}
