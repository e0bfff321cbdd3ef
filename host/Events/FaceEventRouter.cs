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
/// pool of workers routes each through <see cref="FaceRouter"/>, and every routed event (or its
/// failure) is published to the <see cref="EventFeed"/>. A full queue makes the posting camera
/// wait (backpressure: the camera drops frames, counted, rather than faces being lost
/// silently). <see cref="DrainAsync(CancellationToken)"/> refuses new events and waits for the
/// queued ones; <see cref="DrainAsync(TimeSpan, CancellationToken)"/> does so until a deadline
/// and hands back what it could not route, for the journal.
/// </summary>
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
    private readonly ConcurrentDictionary<ulong, FaceEvent> _inFlight = new();

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
        _queue = Channel.CreateBounded<FaceEvent>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = _options.Workers == 1,
        });
    }

    /// <summary>The routing path's one set of counters (the plugin fan-out's, which this queue feeds).</summary>
    public RoutingCounters Counters => _router.Counters;

    /// <summary>Events waiting for a worker.</summary>
    public int QueueDepth => _queue.Reader.CanCount ? _queue.Reader.Count : -1;

    public async ValueTask PublishAsync(FaceEvent faceEvent, CancellationToken ct)
    {
        // Counted before the write: once queued, a worker may route the event before this call
        // returns, and routed must never read higher than accepted.
        Counters.OnAccepted();
        try
        {
            await _queue.Writer.WriteAsync(faceEvent, ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            Counters.OnNotAccepted();
            Counters.OnRefused();
            throw new RouterException(RoutingErrorCodes.Stopping, $"event {faceEvent.EventId} refused: the host is stopping");
        }
        catch (OperationCanceledException)
        {
            Counters.OnNotAccepted();
            throw;
        }
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
        await Task.WhenAll(_workers).WaitAsync(ct).ConfigureAwait(false);
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
        var workers = Task.WhenAll(_workers);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(deadline);
            try
            {
                await workers.WaitAsync(timeout.Token).ConfigureAwait(false);
                return new DrainResult([], []);
            }
            catch (OperationCanceledException) { }
        }
        _abandon = true;
        while (_queue.Reader.TryRead(out var e)) Abandon(e);
        try { await workers.WaitAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        lock (_abandoned) return new DrainResult(_abandoned.ToList(), _inFlight.Values.ToList());
    }

    private void Abandon(FaceEvent e)
    {
        lock (_abandoned) _abandoned.Add(e);
    }

    private async Task WorkAsync()
    {
        // Workers end when the queue is completed and empty: draining abandons an event only past its deadline, for the journal.
        await foreach (var e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_abandon) { Abandon(e); continue; }
            _inFlight[e.EventId] = e;
            try { await RouteAsync(e).ConfigureAwait(false); }
            catch (Exception ex)
            {
                _logger.LogError(ex, "event {EventId}: publishing failed", e.EventId);
            }
            finally { _inFlight.TryRemove(e.EventId, out _); }
        }
    }

    private async Task RouteAsync(FaceEvent e)
    {
        RouteResult? result = null;
        string? error = null;
        using var activity = RouterActivities.Source.StartActivity("route face event");
        activity?.SetTag("router.event_id", e.EventId);
        activity?.SetTag("router.cam_id", e.Request.CamId);
        activity?.SetTag("router.track_id", e.TrackId);
        try
        {
            // Not cancellable by the host's stop: an accepted event is routed; plugins have their own timeouts.
            result = await _router.RouteAsync(e.Request, e.EventId, null, CancellationToken.None).ConfigureAwait(false);
            Counters.OnRouted();
        }
        catch (RouterException ex)
        {
            Counters.OnFailed();
            error = $"{ex.Code}: {ex.Reason}";
            _logger.LogWarning("event {EventId} from {CamId}: routing failed ({Error})", e.EventId, e.Request.CamId, error);
        }
        catch (Exception ex)
        {
            Counters.OnFailed();
            error = $"{ErrorCodes.UnknownError}: {ex.Message}";
            _logger.LogError(ex, "event {EventId} from {CamId}: routing failed", e.EventId, e.Request.CamId);
        }
        if (error is not null) activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error);
        _latency?.Routed(e.Request.CamId, e.FrameReceivedTicks);
        var routed = ToRoutedEvent(e, result, error, _annotations.Take(e.EventId));
        _frames.Keep(e.EventId, e.Request.Photo);
        _feed.Publish(routed);
        if (_options.LogEvents && error is null) _logger.LogInformation("{Event}", Describe(routed));
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
}
