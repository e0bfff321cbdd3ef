using System.Threading.Channels;

namespace Router.Host.Events;

/// <summary>One live reader of the <see cref="EventFeed"/> (an SSE client): a bounded buffer that drops its oldest event when full.</summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventFeed _feed;
    private readonly string? _camId;
    private readonly Channel<RoutedEvent> _buffer;
    private long _dropped;

    internal EventSubscription(EventFeed feed, string? camId, int capacity)
    {
        _feed = feed;
        _camId = camId;
        _buffer = Channel.CreateBounded<RoutedEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<RoutedEvent> Reader => _buffer.Reader;

    /// <summary>Events this subscriber lost because it read too slowly.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(RoutedEvent e)
    {
        if (_camId is null || e.CamId == _camId) _buffer.Writer.TryWrite(e);
    }

    public void Dispose()
    {
        _feed.Remove(this);
        _buffer.Writer.TryComplete();
    }
}
