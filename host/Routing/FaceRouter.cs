using System.Diagnostics;
using System.Drawing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Plugins;
using Router.Models.Imaging;

using Router.Host.Telemetry;

namespace Router.Host.Routing;

/// <summary>
/// Hands each face to the plugins, facerouter style: every loaded plugin's PreprocessAsync says
/// what it needs, the union of those features is computed once, then every interested plugin's
/// ProcessAsync gets the face with exactly the features it asked for. Plugins run concurrently
/// and in isolation: one that throws or runs past its timeout is logged and counted and changes
/// nothing for the others or for later faces. Each plugin has its own bound on calls at once and
/// calls waiting (<see cref="PluginCallLimiter"/>): beyond it the face is dropped for that plugin
/// alone, so a stuck plugin holds a few threads, not the pool; one that keeps timing out is
/// quarantined (<see cref="PluginQuarantine"/>) and gets no faces for a while.
/// </summary>
/// <remarks>
/// A face holds a lease on the generation of each plugin it started with, from Preprocess to
/// Process, so a hot reload never splits one face across two builds and the old build is shut
/// down only after the faces it took have left it.
/// </remarks>
public sealed class FaceRouter
{
    private readonly PluginRegistry _registry;
    private readonly FaceFeatureExtractor _extractor;
    private readonly PluginsOptions _options;
    private readonly ILogger<FaceRouter> _logger;
    private readonly PluginMetrics? _metrics;
    private int _inFlight;

    /// <param name="metrics">Where each plugin call's latency goes; none without it.</param>
    public FaceRouter(PluginRegistry registry, FaceFeatureExtractor extractor, IOptions<PluginsOptions> options, ILogger<FaceRouter> logger,
        PluginMetrics? metrics = null)
    {
        _metrics = metrics;
        _registry = registry;
        _extractor = extractor;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The routing path's counters, shared with the event queue in front of this router.</summary>
    public RoutingCounters Counters { get; } = new();

    /// <summary>Faces being routed right now (from their preprocessing to the end of their plugin calls).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// The first half of routing one face: asks every loaded plugin's PreprocessAsync what it
    /// needs and extracts the union of those features, the part that costs CPU. The returned face
    /// holds a lease on each plugin's generation until its <see cref="PreparedFace.ProcessAsync"/>
    /// ends, and needs neither <paramref name="decodedFrame"/> nor the models any more: the caller
    /// may take the next face while this one's plugins still run. <paramref name="decodedFrame"/>
    /// is the frame the caller already has in BGR (the video pipeline); null makes the router
    /// decode <c>request.Photo</c> only if a model must run. <paramref name="landmarks"/>, only with
    /// <paramref name="decodedFrame"/>, are those the pipeline computed for the request's box on it
    /// (the landmark model then does not run again). Throws ROUTER_STOPPING once the
    /// plugins are shut down, and the extractor's BAD_PARAM / MALFORMED_REQUEST / EXTRACTION_ERROR
    /// when the face cannot be analysed.
    /// </summary>
    public async Task<PreparedFace> PrepareAsync(FaceRequest request, ulong eventId, BgrImage? decodedFrame, PointF[]? landmarks, CancellationToken ct)
    {
        if (_registry.Stopped)
        {
            Counters.OnRejected();
            throw new RouterException(RoutingErrorCodes.Stopping, "the router is stopping and takes no new faces");
        }
        Interlocked.Increment(ref _inFlight);
        var leases = new List<(PluginEntry Entry, PluginInstance Instance)>();
        try
        {
            var calls = new List<PluginCallResult>();
            var now = DateTimeOffset.UtcNow;
            foreach (var entry in _registry.Entries)
            {
                if (entry.State != PluginState.Loaded) continue;
                if (entry.Quarantine.Until(now) is { } until)
                {
                    entry.Counters.Quarantined();
                    calls.Add(new PluginCallResult(entry.Name, FaceFeatures.None, PluginCallOutcome.Quarantined, 0, $"quarantined until {until:O}"));
                    continue;
                }
                if (entry.Acquire() is { } instance) leases.Add((entry, instance));
            }

            var wants = await Task.WhenAll(leases.Select(l => PreprocessAsync(l.Entry, l.Instance, request, eventId, ct))).ConfigureAwait(false);
            var union = FaceFeatures.None;
            foreach (var w in wants) union |= w.Features;
            var wanted = wants.Select(w => w.Features).ToArray();
            calls.AddRange(wants.Where(w => w.Result is not null).Select(w => w.Result!));
            if (union == FaceFeatures.None)
            {
                Counters.OnUnwanted();
                var unwanted = new PreparedFace(this, request, eventId, union, null, calls, leases, wanted);
                leases = [];
                return unwanted;
            }

            DetectFace full;
            try
            {
                using var extraction = RouterActivities.Source.StartActivity("extract features");
                extraction?.SetTag("router.features", union.ToString());
                full = await _extractor.ExtractAsync(request, decodedFrame, landmarks, union, ct).ConfigureAwait(false);
            }
            catch (RouterException e)
            {
                Counters.OnExtractionError();
                _logger.LogError(e, "Event {EventId} from {CamId}: extraction of {Features} failed ({Code})", eventId, request.CamId, union, e.Code);
                throw;
            }
            var prepared = new PreparedFace(this, request, eventId, union, full, calls, leases, wanted);
            leases = []; // the prepared face releases them when its plugin calls end
            return prepared;
        }
        catch
        {
            foreach (var l in leases) l.Instance.Release();
            Interlocked.Decrement(ref _inFlight);
            throw;
        }
    }

    /// <summary>The second half (<see cref="PreparedFace.ProcessAsync"/>): every interested plugin's ProcessAsync, then the leases go back.</summary>
    internal async Task<RouteResult> ProcessAsync(PreparedFace face, IReadOnlyList<(PluginEntry Entry, PluginInstance Instance)> leases,
        IReadOnlyList<FaceFeatures> wants, CancellationToken ct)
    {
        try
        {
            if (face.Detection is not { } full) return new RouteResult(face.EventId, face.Requested, null, face.EarlyCalls);
            var processed = await Task.WhenAll(leases.Select((l, i) => wants[i] == FaceFeatures.None
                ? Task.FromResult<PluginCallResult?>(null)
                : ProcessAsync(l.Entry, l.Instance, face.Request, face.EventId, DetectFaceProjection.For(full, wants[i]), wants[i], ct)))
                .ConfigureAwait(false);
            var calls = new List<PluginCallResult>(face.EarlyCalls);
            calls.AddRange(processed.OfType<PluginCallResult>());
            return new RouteResult(face.EventId, face.Requested, full, calls);
        }
        finally
        {
            foreach (var l in leases) l.Instance.Release();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<(FaceFeatures Features, PluginCallResult? Result)> PreprocessAsync(
        PluginEntry entry, PluginInstance instance, FaceRequest request, ulong eventId, CancellationToken ct)
    {
        var plugin = instance.Plugin;
        var call = await CallAsync(entry.PreprocessLimiter, instance, token => plugin.PreprocessAsync(request, request.Labels, token), _options.PreprocessTimeout, ct)
            .ConfigureAwait(false);
        Account(entry, call.Outcome, eventId, endsStreak: false);
        switch (call.Outcome)
        {
            case PluginCallOutcome.Dropped:
                entry.Counters.Dropped();
                return (FaceFeatures.None, new PluginCallResult(entry.Name, FaceFeatures.None, PluginCallOutcome.Dropped, call.ElapsedMs, "the plugin's queue is full"));
            case PluginCallOutcome.Processed when call.Value == FaceFeatures.None:
                entry.Counters.NotInterested();
                return (FaceFeatures.None, new PluginCallResult(entry.Name, FaceFeatures.None, PluginCallOutcome.NotInterested, call.ElapsedMs, null));
            case PluginCallOutcome.Processed:
                return (call.Value, null);
            case PluginCallOutcome.TimedOut:
                entry.Counters.PreprocessTimeout();
                _logger.LogWarning("Plugin {Plugin}: PreprocessAsync of event {EventId} ran past {Timeout}; the plugin skips this face",
                    entry.Name, eventId, _options.PreprocessTimeout);
                return (FaceFeatures.None, new PluginCallResult(entry.Name, FaceFeatures.None, PluginCallOutcome.TimedOut, call.ElapsedMs, "preprocess timed out"));
            default:
                entry.Counters.PreprocessError();
                _logger.LogError(call.Error, "Plugin {Plugin}: PreprocessAsync of event {EventId} failed; the plugin skips this face", entry.Name, eventId);
                return (FaceFeatures.None, new PluginCallResult(entry.Name, FaceFeatures.None, PluginCallOutcome.Failed, call.ElapsedMs, call.Error?.Message));
        }
    }

    private async Task<PluginCallResult?> ProcessAsync(PluginEntry entry, PluginInstance instance, FaceRequest request, ulong eventId,
        DetectFace detection, FaceFeatures wanted, CancellationToken ct)
    {
        var plugin = instance.Plugin;
        using var activity = RouterActivities.Source.StartActivity("plugin process");
        activity?.SetTag("router.plugin", entry.Name);
        var call = await CallAsync(entry.Limiter, instance, async token =>
        {
            await plugin.ProcessAsync(request, request.Photo, request.BBox, eventId, detection, token).ConfigureAwait(false);
            return true;
        }, entry.ProcessTimeout, ct).ConfigureAwait(false);
        Account(entry, call.Outcome, eventId, endsStreak: true);
        switch (call.Outcome)
        {
            case PluginCallOutcome.Dropped:
                entry.Counters.Dropped();
                break;
            case PluginCallOutcome.Processed:
                entry.Counters.Processed(call.ElapsedTicks);
                _metrics?.Processed(entry.Name, call.ElapsedTicks);
                break;
            case PluginCallOutcome.TimedOut:
                entry.Counters.Timeout();
                _logger.LogWarning("Plugin {Plugin}: ProcessAsync of event {EventId} ran past {Timeout}", entry.Name, eventId, entry.ProcessTimeout);
                break;
            default:
                entry.Counters.Error();
                _logger.LogError(call.Error, "Plugin {Plugin}: ProcessAsync of event {EventId} from {CamId} failed", entry.Name, eventId, request.CamId);
                break;
        }
        if (call.Outcome != PluginCallOutcome.Processed) activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, call.Outcome.ToString());
        return new PluginCallResult(entry.Name, wanted, call.Outcome, call.ElapsedMs, call.Error?.Message);
    }

    /// <summary>
    /// Feeds the plugin's quarantine: a ProcessAsync in time ends a streak of timeouts (a quick
    /// PreprocessAsync does not: a plugin stuck in ProcessAsync answers it at once); too long a
    /// streak starts a quarantine.
    /// </summary>
    private void Account(PluginEntry entry, PluginCallOutcome outcome, ulong eventId, bool endsStreak)
    {
        if (outcome == PluginCallOutcome.Processed) { if (endsStreak) entry.Quarantine.OnSuccess(); }
        else if (outcome is PluginCallOutcome.TimedOut or PluginCallOutcome.Dropped
                 && entry.Quarantine.OnTimeout(DateTimeOffset.UtcNow) is { } until)
            _logger.LogWarning("Plugin {Plugin} quarantined until {Until:O} (quarantine {Times}) after {Count} timeouts or dropped calls in a row (last: event {EventId}); "
                + "it gets no faces until then, then is tried again", entry.Name, until, entry.Quarantine.Times, _options.QuarantineAfterTimeouts, eventId);
    }

    private readonly record struct CallOutcome<T>(PluginCallOutcome Outcome, T? Value, Exception? Error, long ElapsedTicks)
    {
        public double ElapsedMs => ElapsedTicks * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>
    /// Runs one plugin call off the caller's thread (a plugin that blocks synchronously must not
    /// stall the router) with a timeout. The call's token is cancelled at the timeout, but a call
    /// that ignores it is abandoned, not awaited: it keeps a lease on its generation until it
    /// really ends, so a reload still waits for it (up to DrainTimeout).
    /// </summary>
    private static async Task<CallOutcome<T>> CallAsync<T>(PluginCallLimiter limiter, PluginInstance instance, Func<CancellationToken, ValueTask<T>> call,
        TimeSpan timeout, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        // The plugin's own slots: waiting for one counts against the call's timeout.
        if (!await limiter.EnterAsync(timeout, ct).ConfigureAwait(false))
            return new CallOutcome<T>(PluginCallOutcome.Dropped, default, null, Stopwatch.GetTimestamp() - start);
        var remaining = timeout - Stopwatch.GetElapsedTime(start);
        if (remaining < TimeSpan.FromMilliseconds(1)) remaining = TimeSpan.FromMilliseconds(1);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(remaining);
        timeout = remaining;
        var task = Task.Run(() => call(cts.Token).AsTask(), CancellationToken.None);
        // The slot is given back when the call really ends, abandoned or not.
        _ = task.ContinueWith(_ => limiter.Exit(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            var value = await task.WaitAsync(timeout, ct).ConfigureAwait(false);
            cts.Dispose();
            return new CallOutcome<T>(PluginCallOutcome.Processed, value, null, Stopwatch.GetTimestamp() - start);
        }
        catch (TimeoutException)
        {
            instance.AddRef();
            _ = task.ContinueWith(t =>
            {
                _ = t.Exception; // observed: a late failure of an abandoned call is not an unobserved-task crash
                cts.Dispose();
                instance.Release();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return new CallOutcome<T>(PluginCallOutcome.TimedOut, default, null, Stopwatch.GetTimestamp() - start);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            cts.Dispose();
            throw;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The plugin honoured the timeout token: still a timeout.
            cts.Dispose();
            return new CallOutcome<T>(PluginCallOutcome.TimedOut, default, null, Stopwatch.GetTimestamp() - start);
        }
        catch (Exception e)
        {
            cts.Dispose();
            return new CallOutcome<T>(PluginCallOutcome.Failed, default, e, Stopwatch.GetTimestamp() - start);
        }
    }
}
