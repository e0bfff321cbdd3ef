namespace Router.Host.Routing;

/// <summary>Router-wide counters: faces routed, faces no plugin wanted, extraction failures, faces refused while stopping.</summary>
public sealed class RouterCounters
{
    private long _routed, _unwanted, _extractionErrors, _rejected;

    public long Routed => Interlocked.Read(ref _routed);
    public long Unwanted => Interlocked.Read(ref _unwanted);
    public long ExtractionErrors => Interlocked.Read(ref _extractionErrors);
    public long Rejected => Interlocked.Read(ref _rejected);

    internal void OnRouted() => Interlocked.Increment(ref _routed);
    internal void OnUnwanted() => Interlocked.Increment(ref _unwanted);
    internal void OnExtractionError() => Interlocked.Increment(ref _extractionErrors);
    internal void OnRejected() => Interlocked.Increment(ref _rejected);
}
