using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Events;
using StackExchange.Redis;

namespace Router.Host.Cluster;

/// <summary>
/// Every node's /v1/events and SSE show the whole deployment's events: each node appends the events it
/// routed to one Redis Stream (XADD MAXLEN ~ EventStreamMaxLength, the retention) and reads the others'
/// from it into its <see cref="EventFeed"/>. Routing never waits on Redis: events are queued (bounded, the
/// oldest dropped and counted). Redis out of reach: local events go on, the queue waits, the reader
/// retries; one warning an outage, one line when it is back. A Redis that restarted empty is read from its start.
/// </summary>
public sealed class RedisEventFanOut : BackgroundService
{
    private readonly ClusterOptions _options;
    private readonly EventFeed _feed;
    private readonly ILogger<RedisEventFanOut> _logger;
    private readonly Channel<RoutedEvent> _queue;
    private ConnectionMultiplexer? _redis;
    private long _published, _received, _dropped, _outages;
    private int _down; // 1 while an outage is being reported
    private volatile bool _connected;

    public RedisEventFanOut(IOptions<ClusterOptions> options, EventFeed feed, ILogger<RedisEventFanOut> logger)
    {
        _options = options.Value;
        _feed = feed;
        _logger = logger;
        _queue = Channel.CreateBounded<RoutedEvent>(new BoundedChannelOptions(_options.EventStreamMaxLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
    }

    public EventFanOutStatus Status => new()
    {
        Stream = _options.EventStream,
        Connected = _connected,
        Published = Interlocked.Read(ref _published),
        Received = Interlocked.Read(ref _received),
        Dropped = Interlocked.Read(ref _dropped),
        Outages = Interlocked.Read(ref _outages),
    };

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var config = ConfigurationOptions.Parse(_options.RedisConfiguration!);
        config.AbortOnConnectFail = false; // start while Redis is down; it reconnects by itself
        config.ClientName = "router-events:" + _options.NodeName;
        _redis = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        _feed.Routed += Enqueue;
        try
        {
            await Task.WhenAll(WriteAsync(_redis.GetDatabase(), ct), ReadAsync(_redis.GetDatabase(), ct)).ConfigureAwait(false);
        }
        finally
        {
            _feed.Routed -= Enqueue;
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Enqueue(RoutedEvent e) => _queue.Writer.TryWrite(e);

    private async Task WriteAsync(IDatabase db, CancellationToken ct)
    {
        RedisValue node = _options.NodeName;
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                RedisValue json = JsonSerializer.Serialize(e, RouterJson.Options);
                while (true)
                {
                    try
                    {
                        await db.StreamAddAsync(_options.EventStream, [new NameValueEntry("node", node), new NameValueEntry("event", json)],
                            maxLength: _options.EventStreamMaxLength, useApproximateMaxLength: true).ConfigureAwait(false);
                        Interlocked.Increment(ref _published);
                        Up();
                        break;
                    }
                    catch (Exception x) when (x is RedisException or TimeoutException)
                    {
                        Down(x);
                        await Task.Delay(500, ct).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ReadAsync(IDatabase db, CancellationToken ct)
    {
        RedisValue? last = null; // null: start from the end of the stream as it is when first reached
        var wasDown = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (last is null || wasDown)
                {
                    var top = await db.StreamRangeAsync(_options.EventStream, "-", "+", count: 1, messageOrder: Order.Descending).ConfigureAwait(false);
                    var topId = top.Length == 0 ? "0-0" : (string)top[0].Id!;
                    // First read: from the end. After an outage: go on from where this node was, unless Redis came back
                    // with an older stream (restarted without persistence): then from its start.
                    if (last is null) last = topId;
                    else if (CompareIds(topId, (string)last!) < 0) last = "0-0";
                    wasDown = false;
                }
                var entries = await db.StreamReadAsync(_options.EventStream, last.Value, count: 1000).ConfigureAwait(false);
                Up();
                foreach (var entry in entries)
                {
                    last = entry.Id;
                    if (entry["node"] == _options.NodeName) continue;
                    var json = entry["event"];
                    if (json.IsNullOrEmpty) continue;
                    RoutedEvent? e;
                    try { e = JsonSerializer.Deserialize<RoutedEvent>((string)json!, RouterJson.Options); }
                    catch (JsonException) { continue; } // written by another version: skipped, not fatal
                    if (e is null || !ulong.TryParse(e.Id, out var id)) continue;
                    _feed.PublishRemote(e with { EventId = id });
                    Interlocked.Increment(ref _received);
                }
                if (entries.Length < 1000) await Task.Delay(_options.EventPollInterval, ct).ConfigureAwait(false);
            }
            catch (Exception x) when (x is RedisException or TimeoutException)
            {
                Down(x);
                wasDown = true;
                try { await Task.Delay(1000, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Orders two stream ids ("ms-seq").</summary>
    private static int CompareIds(string a, string b)
    {
        static (long, long) Parse(string id)
        {
            var dash = id.IndexOf('-');
            return dash < 0 ? (long.Parse(id), 0) : (long.Parse(id[..dash]), long.Parse(id[(dash + 1)..]));
        }
        return Parse(a).CompareTo(Parse(b));
    }

    private void Down(Exception e)
    {
        _connected = false;
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Interlocked.Increment(ref _outages);
            _logger.LogWarning("cluster events: Redis out of reach ({Error}); this node's events stay local and queue (up to {Max}) until it is back",
                e.Message, _options.EventStreamMaxLength);
        }
    }

    private void Up()
    {
        _connected = true;
        if (Interlocked.Exchange(ref _down, 0) == 1)
            _logger.LogWarning("cluster events: Redis reached again; fan-out resumed ({Dropped} events of this node dropped in all)", Interlocked.Read(ref _dropped));
    }
}
