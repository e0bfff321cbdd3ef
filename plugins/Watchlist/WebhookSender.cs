using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Plugins.Watchlist;

/// <summary>
/// POSTs alerts from a bounded queue on a background task, retrying failures (network errors,
/// 5xx, 429) with exponential back-off. Enqueueing never waits: a full queue drops the alert and
/// counts it, because the video pipeline must not stall behind a webhook receiver.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "DisposeAsync(ct) drains the queue, then releases them")]
public sealed class WebhookSender
{
    private readonly Uri _url;
    private readonly int _retries;
    private readonly TimeSpan _backoff;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly Channel<WatchlistAlert> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private long _sent, _failed, _dropped;

    public WebhookSender(Uri url, int capacity, int retries, TimeSpan backoff, TimeSpan timeout, ILogger logger)
    {
        _url = url; _retries = retries; _backoff = backoff; _logger = logger;
        _http = new HttpClient { Timeout = timeout };
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

    private async Task RunAsync()
    {
        await foreach (var alert in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(alert, RouterJson.Options);
            for (int attempt = 0; ; attempt++)
            {
                string failure;
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await _http.PostAsync(_url, content, _stop.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) { Interlocked.Increment(ref _sent); break; }
                    failure = $"HTTP {(int)response.StatusCode}";
                    // A 4xx other than 408/429 will not get better by retrying.
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429) attempt = _retries;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { failure = e.Message; }

                if (attempt >= _retries)
                {
                    Interlocked.Increment(ref _failed);
                    _logger.LogError("Watchlist webhook for event {EventId} failed after {Attempts} attempts: {Failure}", alert.EventId, attempt + 1, failure);
                    break;
                }
                var delay = TimeSpan.FromTicks(_backoff.Ticks << Math.Min(attempt, 16));
                _logger.LogWarning("Watchlist webhook for event {EventId} failed ({Failure}); retry in {Delay}", alert.EventId, failure, delay);
                try { await Task.Delay(delay, _stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
