using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Router.Plugins.Mqtt;

/// <summary>
/// Publishes queued messages to the broker on a background task, over one MQTTnet client that it
/// keeps connected: a failed connect is retried with exponential back-off, a lost connection is
/// reconnected, and a message whose publish failed is sent again after the reconnect (QoS 1: the
/// broker acknowledges each message, so "published" means the broker has it). The queue is bounded
/// and enqueueing never waits, because the video pipeline must not stall behind a broker that is
/// away: when it is full, messages are dropped and counted, with one log line per burst of drops.
/// The broker learns "offline" on the availability topic from the last will when the connection
/// drops, and from a clean publish on stop.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "DisposeAsync(ct) drains the queue, then releases them")]
public sealed class MqttPublisher
{
    public const string Online = "online";
    public const string Offline = "offline";

    private readonly MqttConnection _connection;
    private readonly Func<IEnumerable<MqttOutgoing>> _onReconnect;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly Channel<MqttOutgoing> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    // Cancelled when the current connection drops, so that a worker idle on an empty queue goes
    // back to reconnecting at once instead of finding out with the next message.
    private CancellationTokenSource _connectionLost = new();
    private long _published, _failed, _dropped, _burstDropped, _connects, _connectFailures;

    /// <param name="onReconnect">Retained messages to publish again after every reconnect (not the first connect).</param>
    public MqttPublisher(MqttConnection connection, int capacity, Func<IEnumerable<MqttOutgoing>> onReconnect, ILogger logger)
    {
        _connection = connection;
        _onReconnect = onReconnect;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += e =>
        {
            // Failed connect attempts raise this too; only a connection that was up is "lost".
            if (e.ClientWasConnected) Volatile.Read(ref _connectionLost).Cancel();
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(connection.Host, connection.Port)
            .WithClientId(connection.ClientId)
            .WithCleanSession()
            .WithKeepAlivePeriod(connection.KeepAlive)
            .WithTimeout(connection.Timeout)
            .WithWillTopic(connection.AvailabilityTopic)
            .WithWillPayload(Offline)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (connection.Username is { } user) options = options.WithCredentials(user, connection.Password);
        _options = options.Build();
        _queue = Channel.CreateBounded<MqttOutgoing>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            // Wait, not DropWrite: with DropWrite TryWrite reports success for the message it drops,
            // and the drop could not be counted. Nothing ever waits, since only TryWrite is called.
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true,
        });
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Queued messages the broker acknowledged (availability and re-sent discovery configs are not counted).</summary>
    public long Published => Interlocked.Read(ref _published);
    /// <summary>Messages the broker refused (a reason code other than success); not retried.</summary>
    public long Failed => Interlocked.Read(ref _failed);
    /// <summary>Messages dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    /// <summary>Successful connections, the first one included: more than one means reconnects.</summary>
    public long Connects => Interlocked.Read(ref _connects);
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);
    public int Queued => _queue.Reader.Count;
    public bool Connected => _client.IsConnected;

    /// <summary>Queues a message; false (and counted) when the queue is full. Never waits.</summary>
    public bool TryEnqueue(MqttOutgoing message)
    {
        if (_queue.Writer.TryWrite(message))
        {
            var burst = Interlocked.Exchange(ref _burstDropped, 0);
            if (burst > 0) _logger.LogWarning("MQTT queue accepts messages again; {Count} were dropped while it was full", burst);
            return true;
        }
        Interlocked.Increment(ref _dropped);
        if (Interlocked.Increment(ref _burstDropped) == 1)
            _logger.LogWarning("MQTT queue full ({Capacity} messages waiting for {Host}:{Port}): dropping messages, first {Topic}",
                _queue.Reader.Count, _connection.Host, _connection.Port, message.Topic);
        return false;
    }

    /// <summary>
    /// Publishes what is queued while the broker is there (at most <see cref="MqttConnection.Timeout"/>, or
    /// until <paramref name="ct"/>), then "offline" on the availability topic and a clean disconnect (which,
    /// unlike a dropped connection, sends no will). A broker that is away at stop will not take the queue in
    /// time, so there is no waiting for it: what is left is logged as not sent.
    /// </summary>
    public async Task DisposeAsync(CancellationToken ct)
    {
        _queue.Writer.TryComplete();
        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            drain.CancelAfter(_connection.Timeout);
            while (!_worker.IsCompleted && _client.IsConnected && !drain.IsCancellationRequested)
            {
                try { await Task.WhenAny(_worker, Task.Delay(50, drain.Token)).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
        }
        _stop.Cancel();
        try { await _worker.ConfigureAwait(false); }
        catch (Exception e) { _logger.LogWarning("MQTT publisher stopped with an error: {Reason}", e.Message); } // a stop must not fail
        if (_queue.Reader.Count > 0)
            _logger.LogWarning("MQTT: {Count} queued messages not sent at stop: the broker at {Host}:{Port} was away or slow", _queue.Reader.Count, _connection.Host, _connection.Port);
        if (_client.IsConnected)
        {
            // Its own short timeout: the host's token may be spent by now, and offline is worth one try.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await PublishAsync(new MqttOutgoing(_connection.AvailabilityTopic, "offline"u8.ToArray(), Retain: true), timeout.Token).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) // stopping anyway: the will or the broker's timeout says offline instead
            {
                _logger.LogWarning("MQTT: could not say offline before disconnecting: {Reason}", e.Message);
            }
        }
        _client.Dispose();
        _stop.Dispose(); // the worker has ended: nothing reads it any more
    }

    private async Task RunAsync()
    {
        MqttOutgoing? pending = null;
        int failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                if (pending is null && _queue.Reader.Completion.IsCompleted) return; // stopping, nothing left to send
                if (!await ConnectAsync(failures).ConfigureAwait(false))
                {
                    failures++;
                    var delay = TimeSpan.FromTicks(Math.Min(_connection.MaxBackoff.Ticks, _connection.Backoff.Ticks << Math.Min(failures - 1, 20)));
                    try { await Task.Delay(delay, _stop.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return; }
                    continue;
                }
                failures = 0;
            }
            if (pending is null)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, Volatile.Read(ref _connectionLost).Token);
                try
                {
                    if (!await _queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) return; // completed and empty
                }
                catch (OperationCanceledException)
                {
                    // The connection dropped (or we stop). Should the client still call itself connected,
                    // a clean disconnect keeps the next round from waiting on the cancelled token again.
                    await DropConnectionAsync().ConfigureAwait(false);
                    continue;
                }
                if (!_queue.Reader.TryRead(out pending)) continue;
            }
            try
            {
                if (await PublishAsync(pending, _stop.Token).ConfigureAwait(false)) Interlocked.Increment(ref _published);
                pending = null;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
            catch (Exception e) // whatever the client throws, the worker must live on: it is the only sender
            {
                // Kept in pending: it goes out first once the connection is back.
                _logger.LogWarning("MQTT publish to {Topic} failed ({Reason}); retrying after reconnecting", pending!.Topic, e.Message);
                await DropConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> ConnectAsync(int failures)
    {
        // Not disposed: the disconnect handler may still cancel the old one (a cancel-only source holds nothing to free).
        Volatile.Write(ref _connectionLost, new CancellationTokenSource());
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_connection.Timeout);
            var result = await _client.ConnectAsync(_options, timeout.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
            var reconnect = Interlocked.Increment(ref _connects) > 1;
            await PublishAsync(new MqttOutgoing(_connection.AvailabilityTopic, "online"u8.ToArray(), Retain: true), timeout.Token).ConfigureAwait(false);
            if (reconnect)
                foreach (var message in _onReconnect()) await PublishAsync(message, timeout.Token).ConfigureAwait(false);
            if (failures > 0 || reconnect)
                _logger.LogInformation("MQTT connected to {Host}:{Port} as {ClientId} (connection {Count})", _connection.Host, _connection.Port, _connection.ClientId, Connects);
            return true;
        }
        catch (Exception e) when (!_stop.IsCancellationRequested) // any failure to connect is retried, never fatal
        {
            Interlocked.Increment(ref _connectFailures);
            // The first failure of a series is a warning; the retries of one outage would only repeat it.
            if (failures == 0) _logger.LogWarning("MQTT broker {Host}:{Port} unreachable ({Reason}); retrying with back-off", _connection.Host, _connection.Port, e.Message);
            else _logger.LogDebug("MQTT connect attempt {Attempt} failed: {Reason}", failures + 1, e.Message);
            await DropConnectionAsync().ConfigureAwait(false);
            return false;
        }
        catch (Exception) { return false; } // stopping: whatever the aborted connect threw means nothing now
    }

    /// <summary>True when the broker acknowledged; false when it refused (counted as failed, not retried).</summary>
    private async Task<bool> PublishAsync(MqttOutgoing message, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_connection.Timeout);
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload)
            .WithRetainFlag(message.Retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), timeout.Token).ConfigureAwait(false);
        if (result.IsSuccess) return true;
        Interlocked.Increment(ref _failed);
        _logger.LogError("MQTT broker refused the message on {Topic}: {Reason} {Detail}", message.Topic, result.ReasonCode, result.ReasonString);
        return false;
    }

    // After a failed publish or connect the client may still think it is connected; a clean slate
    // makes the next round reconnect.
    private async Task DropConnectionAsync()
    {
        if (!_client.IsConnected) return;
        try { await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false); }
        catch (Exception) { /* already gone: the point was only to be disconnected */ }
    }
}
