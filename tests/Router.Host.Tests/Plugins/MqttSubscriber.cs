using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// A real MQTT client subscribed to topic filters, keeping everything it receives, for tests that
/// check what a publisher sent. A new subscriber receives the retained messages first (with
/// <see cref="Received.Retained"/> set): that is how a test sees what the broker kept.
/// </summary>
public sealed class MqttSubscriber : IAsyncDisposable
{
    public sealed record Received(string Topic, string Payload, bool Retained);

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly List<Received> _messages = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private MqttSubscriber()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            lock (_messages) _messages.Add(new Received(m.Topic, Encoding.UTF8.GetString(m.Payload), m.Retain));
            _arrived.Release();
            return Task.CompletedTask;
        };
    }

    public static async Task<MqttSubscriber> ConnectAsync(int port, params string[] filters)
    {
        var s = new MqttSubscriber();
        await s._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
            .WithClientId("test-subscriber-" + Guid.NewGuid().ToString("N")[..8]).WithCleanSession().Build());
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var f in filters) subscribe = subscribe.WithTopicFilter(f, MqttQualityOfServiceLevel.AtLeastOnce);
        await s._client.SubscribeAsync(subscribe.Build());
        return s;
    }

    public IReadOnlyList<Received> Messages { get { lock (_messages) return _messages.ToArray(); } }

    public IReadOnlyList<Received> On(string topic) => Messages.Where(m => m.Topic == topic).ToArray();

    /// <summary>The first message (in arrival order) that satisfies <paramref name="match"/>, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (Messages.FirstOrDefault(match) is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"no MQTT message {what} arrived; received: " +
                    string.Join("; ", Messages.Select(m => $"{m.Topic}{(m.Retained ? " (retained)" : "")}: {m.Payload}")));
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public Task<Received> WaitForAsync(string topic, string? payload = null, TimeSpan? timeout = null) =>
        WaitForAsync(m => m.Topic == topic && (payload is null || m.Payload == payload), timeout, $"on {topic}{(payload is null ? "" : " = " + payload)}");

    public async ValueTask DisposeAsync()
    {
        try { if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()); }
        catch (Exception) { /* the broker may be gone already */ }
        _client.Dispose();
    }
}
