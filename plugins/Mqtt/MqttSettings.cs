using Router.Abstractions;

namespace Router.Plugins.Mqtt;

/// <summary>
/// The plugin's settings (<c>Plugins:Items:mqtt:Settings</c>), read and checked once: a bad value
/// stops the plugin from loading with BAD_PARAM naming the key.
/// </summary>
public sealed record MqttSettings
{
    public required MqttConnection Connection { get; init; }
    public required string TopicPrefix { get; init; }
    public IReadOnlyList<string> Galleries { get; init; } = [];
    public double Threshold { get; init; } = MatchThresholds.Identification;
    public double MissThreshold { get; init; } = MatchThresholds.Verification;
    public IReadOnlySet<string> Cameras { get; init; } = new HashSet<string>();
    public int QueueSize { get; init; } = 1000;
    public bool RetainMatches { get; init; }
    public bool RetainCameras { get; init; }
    public bool RetainPeople { get; init; } = true;
    public bool Discovery { get; init; } = true;
    public string DiscoveryPrefix { get; init; } = "homeassistant";
    public required string DiscoveryNode { get; init; }

    public static MqttSettings Read(IReadOnlyDictionary<string, string?> s)
    {
        var prefix = s.GetString("topic_prefix", "router")!.Trim('/');
        if (prefix.Length == 0 || prefix.IndexOfAny(['+', '#']) >= 0)
            throw RouterException.BadParam("topic_prefix", prefix, "topic_prefix must be a non-empty topic without wildcards (+, #)");
        var port = s.GetInt("port", 1883);
        if (port is < 1 or > 65535) throw RouterException.BadParam("port", port, "port must be 1..65535");
        var threshold = s.GetDouble("threshold", MatchThresholds.Identification);
        if (threshold is <= 0 or > 1) throw RouterException.BadParam("threshold", threshold, "threshold must be in (0, 1]");
        var miss = s.GetDouble("miss_threshold", Math.Min(threshold, MatchThresholds.Verification));
        if (miss <= 0 || miss > threshold) throw RouterException.BadParam("miss_threshold", miss, "miss_threshold must be in (0, threshold]");
        var queue = s.GetInt("queue", 1000);
        if (queue < 1) throw RouterException.BadParam("queue", queue, "queue must be at least 1");
        var discoveryPrefix = s.GetString("discovery:prefix", "homeassistant")!.Trim('/');
        if (discoveryPrefix.Length == 0 || discoveryPrefix.IndexOfAny(['+', '#']) >= 0)
            throw RouterException.BadParam("discovery:prefix", discoveryPrefix, "discovery:prefix must be a non-empty topic without wildcards");
        var backoff = s.GetDuration("reconnect:backoff", TimeSpan.FromSeconds(1));
        var maxBackoff = s.GetDuration("reconnect:max", TimeSpan.FromSeconds(60));
        if (backoff <= TimeSpan.Zero || maxBackoff < backoff)
            throw RouterException.BadParam("reconnect:backoff", backoff.ToString(), "reconnect:backoff must be positive and at most reconnect:max");
        var username = s.GetString("username");
        return new MqttSettings
        {
            Connection = new MqttConnection
            {
                Host = s.GetString("host", "127.0.0.1")!,
                Port = port,
                Username = username,
                Password = username is null ? null : s.GetString("password"),
                // Two Routers on one broker must not share a client id: the broker would keep
                // disconnecting one for the other.
                ClientId = s.GetString("client_id", $"{prefix.Replace('/', '-')}-{Environment.MachineName}")!,
                AvailabilityTopic = new MqttTopics(prefix).Available,
                KeepAlive = s.GetDuration("keepalive", TimeSpan.FromSeconds(15)),
                Timeout = s.GetDuration("timeout", TimeSpan.FromSeconds(10)),
                Backoff = backoff,
                MaxBackoff = maxBackoff,
            },
            TopicPrefix = prefix,
            Galleries = s.GetList("galleries"),
            Threshold = threshold,
            MissThreshold = miss,
            Cameras = new HashSet<string>(s.GetList("cameras"), StringComparer.Ordinal),
            QueueSize = queue,
            RetainMatches = s.GetBool("retain:matches", false),
            RetainCameras = s.GetBool("retain:cameras", false),
            RetainPeople = s.GetBool("retain:people", true),
            Discovery = s.GetBool("discovery:enabled", true),
            DiscoveryPrefix = discoveryPrefix,
            DiscoveryNode = MqttTopics.ObjectId(s.GetString("discovery:node", prefix.Replace('/', '_'))!),
        };
    }
}
