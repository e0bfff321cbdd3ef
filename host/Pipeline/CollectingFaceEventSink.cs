using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Router.Host.Pipeline;

/// <summary>
/// Keeps every event in memory, in order, and lets a reader wait for them (replay, tests). It keeps
/// no pixels: the events' <see cref="FaceEvent.Pixels"/> loans end with PublishAsync (their JPEGs stay).
/// </summary>
public sealed class CollectingFaceEventSink : IFaceEventSink
{
    private readonly ConcurrentQueue<FaceEvent> _events = new();
    private readonly Channel<FaceEvent> _arrivals = Channel.CreateUnbounded<FaceEvent>();

    public IReadOnlyCollection<FaceEvent> Events => _events;
    public ChannelReader<FaceEvent> Arrivals => _arrivals.Reader;

    public ValueTask PublishAsync(FaceEvent faceEvent, CancellationToken ct)
    {
        _events.Enqueue(faceEvent);
        _arrivals.Writer.TryWrite(faceEvent);
        return ValueTask.CompletedTask;
    }
}
