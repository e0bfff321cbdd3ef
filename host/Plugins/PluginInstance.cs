using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Host.Plugins;

/// <summary>
/// One loaded generation of a plugin: its load context, its object, and a count of the calls
/// in flight on it. A hot reload retires the old generation: new events get the new one, the
/// old one's calls drain, then it is shut down once and its context unloaded.
/// </summary>
public sealed class PluginInstance
{
    private int _inFlight;
    private volatile bool _retired;
    private int _shutdownStarted;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IFaceRouterPlugin? _plugin;
    private McMaster.NETCore.Plugins.PluginLoader? _loader;

    /// <param name="loader">The package's loader that owns the generation's collectible context (null: a plugin not loaded from a folder).</param>
    public PluginInstance(string name, int generation, string version, string typeName, string shadowPath,
        McMaster.NETCore.Plugins.PluginLoader? loader, IFaceRouterPlugin plugin)
    {
        Name = name; Generation = generation; Version = version; TypeName = typeName;
        ShadowPath = shadowPath; _loader = loader; _plugin = plugin;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    public string Name { get; }
    public int Generation { get; }
    public string Version { get; }
    public string TypeName { get; }
    public string ShadowPath { get; }
    public DateTimeOffset LoadedAt { get; }
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The plugin object; only call it while holding a lease (<see cref="TryAcquire"/>).</summary>
    public IFaceRouterPlugin Plugin => _plugin ?? throw new ObjectDisposedException($"plugin {Name} generation {Generation}");

    /// <summary>The child process side of an isolated plugin, or null in process.</summary>
    internal Isolation.IsolatedPlugin? Isolated => _plugin as Isolation.IsolatedPlugin;

    /// <summary>A weak handle on the load context, to tell when it was really collected.</summary>
    public WeakReference? ContextReference { get; private set; }

    /// <summary>
    /// Takes a lease for calls on this generation; false once it is retired (the caller then
    /// reads the entry's current generation again). Increment first, check after: a retire that
    /// races with us either sees our count or we see its flag.
    /// </summary>
    public bool TryAcquire()
    {
        Interlocked.Increment(ref _inFlight);
        if (!_retired) return true;
        Release();
        return false;
    }

    /// <summary>One more lease while already holding one (a timed-out call that is still running keeps the generation alive).</summary>
    public void AddRef() => Interlocked.Increment(ref _inFlight);

    public void Release()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _retired) _drained.TrySetResult();
    }

    /// <summary>
    /// Stops new leases, waits up to <paramref name="drainTimeout"/> for the calls in flight,
    /// calls ShutdownAsync once (bounded by <paramref name="shutdownTimeout"/>) and unloads the context.
    /// </summary>
    public async Task RetireAsync(TimeSpan drainTimeout, TimeSpan shutdownTimeout, ILogger logger, CancellationToken ct)
    {
        _retired = true;
        if (Volatile.Read(ref _inFlight) == 0) _drained.TrySetResult();
        if (Interlocked.Exchange(ref _shutdownStarted, 1) == 1) return;

        try { await _drained.Task.WaitAsync(drainTimeout, ct).ConfigureAwait(false); }
        catch (TimeoutException)
        {
            logger.LogWarning("Plugin {Plugin} generation {Generation}: {InFlight} calls still running after {Timeout}; shutting it down anyway",
                Name, Generation, InFlight, drainTimeout);
        }

        var plugin = _plugin;
        if (plugin is not null)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(shutdownTimeout);
            try
            {
                await plugin.ShutdownAsync(cts.Token).AsTask().WaitAsync(shutdownTimeout, ct).ConfigureAwait(false);
                logger.LogInformation("Plugin {Plugin} generation {Generation} ({Version}) shut down", Name, Generation, Version);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Plugin {Plugin} generation {Generation}: ShutdownAsync failed", Name, Generation);
            }
        }
        Unload(logger);
    }

    /// <summary>Drops the plugin object and unloads its context (the GC frees it once nothing references its types).</summary>
    internal void Unload(ILogger logger)
    {
        // An isolated plugin's process ends with it (after ShutdownAsync it has already exited).
        if (Interlocked.Exchange(ref _plugin, null) is Isolation.IsolatedPlugin isolated) isolated.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var loader = Interlocked.Exchange(ref _loader, null);
        if (loader is null) return;
        var context = loader.LoadContext;
        ContextReference = new WeakReference(context);
        var types = FrameworkTypeCaches.TypesOf(context);
        // The loader's Dispose unloads its collectible context.
        try { loader.Dispose(); }
        catch (InvalidOperationException e) { logger.LogWarning(e, "Plugin {Plugin}: unloading its context failed", Name); }
        // Framework caches (System.Text.Json above all) would otherwise keep the context alive.
        FrameworkTypeCaches.Forget(types, logger);
        // On Linux this succeeds at once (a mapped file can be unlinked; the pages go with the
        // context). Where a mapped file cannot be deleted (Windows) the copy stays until the
        // context is collected, and PluginShadowCopies.Clean removes it at the next start.
        try { Directory.Delete(ShadowPath, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
