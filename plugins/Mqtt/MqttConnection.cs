namespace Router.Plugins.Mqtt;

/// <summary>How to reach the broker and how hard to try: the connection half of the plugin's settings.</summary>
public sealed record MqttConnection
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 1883;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public required string ClientId { get; init; }
    /// <summary>Retained "online" on connect, "offline" as the last will and on a clean stop.</summary>
    public required string AvailabilityTopic { get; init; }
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Longest wait for a connect or for the broker's acknowledgement of one publish.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>First wait after a failed connect; doubles on each failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);
}
