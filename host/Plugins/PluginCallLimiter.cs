namespace Router.Host.Plugins;

/// <summary>
/// One plugin's share of the host: at most <c>MaxConcurrentCalls</c> of its calls at once and at
/// most <c>MaxQueuedCalls</c> waiting for one of those slots. A slot is held until the call really
/// ends, so a call abandoned at its timeout (a plugin blocking a thread) still counts: a stuck
/// plugin can hold that many threads and no more. A call that finds the queue full, or waits for
/// a slot past its own timeout, is dropped for this plugin (counted), and the event goes on to the
/// others: a slow or stuck plugin delays only its own calls.
/// </summary>
public sealed class PluginCallLimiter(int maxConcurrent, int maxQueued) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);
    private int _queued;

    public int Running => maxConcurrent - _slots.CurrentCount;
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>True with a slot (give it back with <see cref="Exit"/>); false when the call is to be dropped.</summary>
    public async ValueTask<bool> EnterAsync(TimeSpan wait, CancellationToken ct)
    {
        if (_slots.Wait(0, CancellationToken.None)) return true; // a free slot is taken at once, cancelled or not
        if (Interlocked.Increment(ref _queued) > maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }
        try { return await _slots.WaitAsync(wait, ct).ConfigureAwait(false); }
        finally { Interlocked.Decrement(ref _queued); }
    }

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
