using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Router.Abstractions;

namespace Router.Plugins.Watchlist;

/// <summary>
/// POSTs alerts from a bounded queue on a background task through a Polly pipeline: failures
/// (network errors, timeouts, 5xx, 408, 429) are retried with exponential back-off and jitter,
/// waiting as long as a <c>Retry-After</c> asks (up to a minute); a receiver that keeps failing
/// opens a circuit breaker, and while it is open alerts fail at once (counted) instead of each
/// waiting through its retries. Enqueueing never waits: a full queue drops the alert and counts
/// it, because the video pipeline must not stall behind a webhook receiver.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "DisposeAsync(ct) drains the queue, then releases them")]
public sealed class WebhookSender
{
    /// <summary>The longest Retry-After honoured; a receiver asking for more is retried sooner.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    private readonly Uri _url;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly HttpClient _http;
    private readonly Channel<WatchlistAlert> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private long _sent, _failed, _dropped;

    public WebhookSender(Uri url, int capacity, int retries, TimeSpan backoff, TimeSpan timeout, ILogger logger)
    {
        _url = url; _logger = logger;
        _http = new HttpClient { Timeout = timeout };
        _pipeline = Pipeline(retries, backoff);
        _queue = Channel.CreateBounded<WatchlistAlert>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            // Wait, not DropWrite: with DropWrite TryWrite answers true for the alert it drops, so drops went uncounted.
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true,
        });
        _worker = Task.Run(RunAsync);
    }

    public long Sent => Interlocked.Read(ref _sent);
    public long Failed => Interlocked.Read(ref _failed);
    public long Dropped => Interlocked.Read(ref _dropped);
    public int Queued => _queue.Reader.Count;

    public bool TryEnqueue(WatchlistAlert alert)
    {
        if (_queue.Writer.TryWrite(alert)) return true;
        Interlocked.Increment(ref _dropped);
        _logger.LogWarning("Watchlist webhook queue full: alert for event {EventId} dropped", alert.EventId);
        return false;
    }

    /// <summary>Sends what is queued (until <paramref name="ct"/> ends the wait), then stops.</summary>
    public async Task DisposeAsync(CancellationToken ct)
    {
        _queue.Writer.TryComplete();
        try { await _worker.WaitAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { _stop.Cancel(); }
        _http.Dispose();
        if (_worker.IsCompleted) _stop.Dispose(); // else a cancelled worker still reads its token
    }

    private static bool Retryable(HttpResponseMessage r) => (int)r.StatusCode is >= 500 or 408 or 429;

    private ResiliencePipeline<HttpResponseMessage> Pipeline(int retries, TimeSpan backoff)
    {
        var handled = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TaskCanceledException>(_ => !_stop.IsCancellationRequested) // the HTTP timeout, not our stop
            .HandleResult(Retryable);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        // Outer: a receiver down for good opens the circuit after 5 alerts failed all their attempts.
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = handled,
            FailureRatio = 1.0,
            MinimumThroughput = 5,
            SamplingDuration = TimeSpan.FromMinutes(1),
            BreakDuration = TimeSpan.FromSeconds(30),
            OnOpened = a => { _logger.LogError("Watchlist webhook {Url} keeps failing: alerts fail at once for {Seconds} s", _url, a.BreakDuration.TotalSeconds); return default; },
            OnClosed = _ => { _logger.LogInformation("Watchlist webhook {Url} answers again", _url); return default; },
        });
        if (retries > 0)
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handled,
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = backoff,
                DelayGenerator = a => ValueTask.FromResult(RetryAfter(a.Outcome.Result)),
                OnRetry = a =>
                {
                    _logger.LogWarning("Watchlist webhook failed ({Failure}); retry {Attempt} in {Delay}",
                        a.Outcome.Exception?.Message ?? $"HTTP {(int)a.Outcome.Result!.StatusCode}", a.AttemptNumber + 1, a.RetryDelay);
                    return default;
                },
            });
        return builder.Build();
    }

    /// <summary>The receiver's Retry-After (seconds or a date), capped at <see cref="MaxRetryAfter"/>; null: the back-off decides.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w && w > TimeSpan.Zero ? (w < MaxRetryAfter ? w : MaxRetryAfter) : null;
    }

    private async Task RunAsync()
    {
        await foreach (var alert in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(alert, RouterJson.Options);
            string? failure = null;
            try
            {
                using var response = await _pipeline.ExecuteAsync(async token =>
                {
                    var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    return await _http.PostAsync(_url, content, token).ConfigureAwait(false);
                }, _stop.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref _sent);
                else failure = $"HTTP {(int)response.StatusCode}"; // a 4xx other than 408/429 does not get better by retrying
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
            catch (BrokenCircuitException) { failure = "the circuit is open"; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { failure = e.Message; }
            if (failure is null) continue;
            Interlocked.Increment(ref _failed);
            _logger.LogError("Watchlist webhook for event {EventId} failed: {Failure}", alert.EventId, failure);
        }
    }
}
