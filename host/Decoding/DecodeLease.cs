namespace Router.Host.Decoding;

/// <summary>Room in the <see cref="DecodeBudget"/> for one decode, given back once at Dispose.</summary>
public sealed class DecodeLease : IDisposable
{
    private DecodeBudget? _budget;
    private readonly long _bytes;

    internal DecodeLease(DecodeBudget budget, long bytes)
    {
        _budget = budget;
        _bytes = bytes;
    }

    public void Dispose() => Interlocked.Exchange(ref _budget, null)?.Release(_bytes);
}
