using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Pipeline;
using Router.Host.Plugins;
using Router.Host.Routing;
using Router.Host.Telemetry;

namespace Router.Host.Events;

/// <summary>
/// The sink between the cameras and the plugins: face events go onto a bounded queue, a small
/// pool of workers prepares each through <see cref="FaceRouter"/> (preprocessing, extraction) and
/// hands its plugin calls on, and every routed event (or its failure) is published to the
/// <see cref="EventFeed"/> when its calls have ended. A slow plugin so delays the publication of
/// the events it takes, never the other plugins' calls. A full queue makes the posting camera
/// wait (backpressure: the camera drops frames, counted, rather than faces being lost
/// silently). <see cref="DrainAsync(CancellationToken)"/> refuses new events and waits for the
/// queued ones; <see cref="DrainAsync(TimeSpan, CancellationToken)"/> does so until a deadline
/// and hands back what it could not route, for the journal.
/// </summary>
/// <remarks>
/// An event's best-shot pixels (<see cref="FaceEvent.Pixels"/>) are lent only for PublishAsync:
/// the queue keeps a holder of its own for at most <see cref="EventsOptions.MaxQueuedFrames"/>
/// events and gives it back as soon as the event's features are extracted (or extraction failed,
/// or the event was abandoned for the journal). Events past the bound are routed from their JPEG.
/// </remarks>
public sealed class FaceEventRouter : IFaceEventSink
{
    private readonly FaceRouter _router;
    private readonly EventFeed _feed;
    private readonly EventsOptions _options;
    private readonly ILogger<FaceEventRouter> _logger;
    private readonly Channel<FaceEvent> _queue;
    private readonly EventAnnotations _annotations;
    private readonly EventFrames _frames;
    private readonly EventLatency? _latency;
    private Task[] _workers = [];
    private int _started;
    private volatile bool _abandon;
    private readonly List<FaceEvent> _abandoned = [];
    // Events taken by a worker and not yet published: what a drain past its deadline journals, and what it waits for.
    private readonly ConcurrentDictionary<ulong, InFlightEvent> _inFlight = new();
    // Events being routed, as tokens in a bounded channel: written to take a slot, read to give it back
    // (a channel needs no disposal, so a late call ending after the host is gone releases safely).
    private readonly Channel<byte> _slots;
    // Frames held by queued or preparing events, against EventsOptions.MaxQueuedFrames.
    private int _keptFrames;

    public FaceEventRouter(FaceRouter router, EventFeed feed, IOptions<EventsOptions> options, ILogger<FaceEventRouter> logger,
        EventAnnotations annotations, EventFrames frames, EventLatency? latency = null)
    {
        _latency = latency;
        _frames = frames;
        _annotations = annotations;
        _router = router;
        _feed = feed;
        _options = options.Value;
        _logger = logger;
        _slots = Channel.CreateBounded<byte>(new BoundedChannelOptions(_options.MaxInFlight) { FullMode = BoundedChannelFullMode.Wait });
        _queue = Channel.CreateBounded<FaceEvent>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = _options.Workers == 1,
        });
    }

    /// <summary>The routing path's one set of counters (the plugin fan-out's, which this queue feeds).</summary>
    public RoutingCounters Counters => _router.Counters;

    /// <summary>Decoded frames held now by events queued or being prepared (at most <see cref="EventsOptions.MaxQueuedFrames"/>).</summary>
    public int KeptFrames => Volatile.Read(ref _keptFrames);

    /// <summary>Events waiting for a worker.</summary>
    public int QueueDepth => _queue.Reader.CanCount ? _queue.Reader.Count : -1;

    public async ValueTask PublishAsync(FaceEvent faceEvent, CancellationToken ct)
    {
        // Counted before the write: once queued, a worker may route the event before this call
        // returns, and routed must never read higher than accepted.
        Counters.OnAccepted();
        var queued = KeepPixels(faceEvent);
        try
        {
            await _queue.Writer.WriteAsync(queued, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ReleasePixels(queued);
            Counters.OnNotAccepted();
            Counters.OnRefused();
            throw new RouterException(RoutingErrorCodes.Stopping, $"event {faceEvent.EventId} refused: the host is stopping");
        }
        catch (OperationCanceledException)
        {
            ReleasePixels(queued);
            Counters.OnNotAccepted();
            throw;
        }
    }

    /// <summary>
    /// The event as queued: with a holder of its own on the lent pixels while fewer than
    /// <see cref="EventsOptions.MaxQueuedFrames"/> are kept, else without them (counted), so routing
    /// decodes the JPEG as it does for events that never had pixels.
    /// </summary>
    private FaceEvent KeepPixels(FaceEvent e)
    {
        if (e.Pixels is not { } lent) return e;
        var kept = Interlocked.Increment(ref _keptFrames) <= _options.MaxQueuedFrames ? lent.Keep() : null;
        if (kept is null)
        {
            Interlocked.Decrement(ref _keptFrames);
            Counters.OnFrameNotKept();
        }
        return e with { Pixels = kept };
    }

    /// <summary>Gives a queued event's frame back (once: a second call for the same event does nothing).</summary>
    private void ReleasePixels(FaceEvent e)
    {
        if (e.Pixels?.Release() == true) Interlocked.Decrement(ref _keptFrames);
    }

    /// <summary>Starts the routing workers (once).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        _workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    /// <summary>Takes no more events and waits until every queued event has been routed and published.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _started) == 0) Start();
        await AllRoutedAsync().WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes no more events and routes the queued ones until <paramref name="deadline"/>. Past it,
    /// the workers take no more: the events still queued are handed back as
    /// <see cref="DrainResult.Queued"/>, and those being routed are waited for as long as
    /// <paramref name="ct"/> allows (plugin calls have their own timeouts), the ones still running
    /// then handed back as <see cref="DrainResult.InFlight"/>. Never throws for the deadline or
    /// <paramref name="ct"/>: a stop must not fail.
    /// </summary>
    public async Task<DrainResult> DrainAsync(TimeSpan deadline, CancellationToken ct)
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _started) == 0) Start();
        var routed = AllRoutedAsync();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(deadline);
            try
            {
                await routed.WaitAsync(timeout.Token).ConfigureAwait(false);
                return new DrainResult([], []);
            }
            catch (OperationCanceledException) { }
        }
        _abandon = true;
        while (_queue.Reader.TryRead(out var e)) Abandon(e);
        try { await routed.WaitAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        // The journal keeps the JPEG photo; the pixels of events still preparing go back when their extraction ends.
        lock (_abandoned) return new DrainResult(_abandoned.ToList(), _inFlight.Values.Select(f => f.Event with { Pixels = null }).ToList());
    }

    /// <summary>The workers' end (the queue completed and empty), then the end of every event they handed on.</summary>
    private async Task AllRoutedAsync()
    {
        await Task.WhenAll(_workers).ConfigureAwait(false);
        await Task.WhenAll(_inFlight.Values.Select(f => f.Published)).ConfigureAwait(false);
    }

    private void Abandon(FaceEvent e)
    {
        ReleasePixels(e);
        lock (_abandoned) _abandoned.Add(e with { Pixels = null });
    }

    /// <summary>
    /// One worker: takes an event when fewer than <see cref="EventsOptions.MaxInFlight"/> are being
    /// routed, prepares it (preprocessing and extraction), then hands its plugin calls and its
    /// publication on and takes the next one. Workers end when the queue is completed and empty:
    /// draining abandons an event only past its deadline, for the journal.
    /// </summary>
    private async Task WorkAsync()
    {
        await foreach (var e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_abandon) { Abandon(e); continue; }
            await _slots.Writer.WriteAsync(0).ConfigureAwait(false);
            if (_abandon) { _slots.Reader.TryRead(out _); Abandon(e); continue; }
            var inFlight = _inFlight[e.EventId] = new InFlightEvent(e);
            Task publication;
            try { publication = await StartRoutingAsync(e).ConfigureAwait(false); }
            catch (Exception ex)
            {
                ReleasePixels(e);
                _logger.LogError(ex, "event {EventId}: routing failed unexpectedly", e.EventId);
                publication = Task.CompletedTask;
            }
            inFlight.Published = publication;
            _ = publication.ContinueWith(_ =>
            {
                _inFlight.TryRemove(e.EventId, out var _);
                _slots.Reader.TryRead(out var _);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Prepares the event; returns its publication, which ends when its plugin calls have (and never faults).</summary>
    private async Task<Task> StartRoutingAsync(FaceEvent e)
    {
        var activity = RouterActivities.Source.StartActivity("route face event");
        activity?.SetTag("router.event_id", e.EventId);
        activity?.SetTag("router.cam_id", e.Request.CamId);
        activity?.SetTag("router.track_id", e.TrackId);
        PreparedFace prepared;
        try
        {
            try
            {
                // Not cancellable by the host's stop: an accepted event is routed; plugins have their own timeouts.
                prepared = await _router.PrepareAsync(e.Request, e.EventId, e.Pixels?.Image, e.Pixels?.Landmarks, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                // The features are extracted (or cannot be): the frame goes back now, not after the plugins' calls.
                ReleasePixels(e);
            }
        }
        catch (Exception ex)
        {
            Publish(e, null, Failure(e, ex), activity);
            return Task.CompletedTask;
        }
        return ProcessAndPublishAsync(e, prepared, activity);
    }

    private async Task ProcessAndPublishAsync(FaceEvent e, PreparedFace prepared, System.Diagnostics.Activity? activity)
    {
        RouteResult? result = null;
        string? error = null;
        try
        {
            result = await prepared.ProcessAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = Failure(e, ex);
        }
        try { Publish(e, result, error, activity); }
        catch (Exception ex)
        {
            _logger.LogError(ex, "event {EventId}: publishing failed", e.EventId);
        }
    }

    private string Failure(FaceEvent e, Exception ex)
    {
        if (ex is RouterException re)
        {
            var error = $"{re.Code}: {re.Reason}";
            _logger.LogWarning("event {EventId} from {CamId}: routing failed ({Error})", e.EventId, e.Request.CamId, error);
            return error;
        }
        _logger.LogError(ex, "event {EventId} from {CamId}: routing failed", e.EventId, e.Request.CamId);
        return $"{ErrorCodes.UnknownError}: {ex.Message}";
    }

    private void Publish(FaceEvent e, RouteResult? result, string? error, System.Diagnostics.Activity? activity)
    {
        using (activity)
        {
            if (error is null) Counters.OnRouted();
            else
            {
                Counters.OnFailed();
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error);
            }
            _latency?.Routed(e.Request.CamId, e.FrameReceivedTicks);
            var routed = ToRoutedEvent(e, result, error, _annotations.Take(e.EventId));
            _frames.Keep(e.EventId, e.Request.Photo);
            _feed.Publish(routed);
            if (_options.LogEvents && error is null) _logger.LogInformation("{Event}", Describe(routed));
        }
    }

    public static RoutedEvent ToRoutedEvent(FaceEvent e, RouteResult? result, string? error,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? annotations = null)
    {
        var r = e.Request;
        var d = r.DetectorParams;
        return new RoutedEvent
        {
            Id = e.EventId.ToString(CultureInfo.InvariantCulture),
            EventId = e.EventId,
            CamId = r.CamId,
            TrackId = d.TrackId,
            BsType = r.BsType,
            Timestamp = r.Timestamp,
            Frame = d.Frame,
            BBox = r.BBox,
            DetectionScore = Math.Round(d.DetectionScore, 4),
            Quality = Math.Round(d.Quality, 4),
            Labels = r.Labels,
            Features = result?.Requested ?? FaceFeatures.None,
            DetectionId = result?.Detection?.Id,
            Plugins = result?.Calls.Select(c => new PluginOutcome(c.Plugin, OutcomeName(c.Outcome), c.Requested,
                Math.Round(c.ElapsedMs, 2), c.Error, annotations?.GetValueOrDefault(c.Plugin))).ToList() ?? [],
            Error = error,
            RoutedAt = DateTimeOffset.UtcNow,
            Face0 = r.Face0,
        };
    }

    public static string OutcomeName(PluginCallOutcome outcome) => outcome switch
    {
        PluginCallOutcome.Processed => "processed",
        PluginCallOutcome.NotInterested => "not_interested",
        PluginCallOutcome.Failed => "failed",
        PluginCallOutcome.TimedOut => "timed_out",
        PluginCallOutcome.Dropped => "dropped",
        PluginCallOutcome.Quarantined => "quarantined",
        _ => "skipped",
    };

    /// <summary>One concise log line: where, which track, and what each plugin did.</summary>
    private static string Describe(RoutedEvent e)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"event {e.Id} cam {e.CamId} track {e.TrackId} quality {e.Quality:F2}:");
        if (e.Plugins.Count == 0) s.Append(" no plugin");
        foreach (var p in e.Plugins) s.Append(CultureInfo.InvariantCulture, $" {p.Plugin}={p.Outcome}");
        return s.ToString();
    }

    /// <summary>An event a worker took, and its publication once the worker handed it on (the workers' end orders the write before the drain's read).</summary>
    private sealed class InFlightEvent(FaceEvent e)
    {
        public FaceEvent Event { get; } = e;
        public Task Published { get; set; } = Task.CompletedTask;
    }
}
