using System.Collections.Concurrent;
using System.Text.Json;

namespace Router.Plugins.Mqtt;

/// <summary>
/// One Home Assistant sensor per watched person: its discovery config is made once per name and
/// remembered, so that it is queued only the first time the person is seen (or listed at start) and
/// can be published again after a reconnect (a broker restarted without persistence has forgotten it).
/// </summary>
public sealed class HomeAssistantDiscovery(string discoveryPrefix, string node, MqttTopics topics)
{
    private readonly ConcurrentDictionary<string, MqttOutgoing> _configs = new(StringComparer.Ordinal);

    public string ConfigTopic(string name) => $"{discoveryPrefix}/sensor/{node}/{MqttTopics.ObjectId(name)}/config";

    /// <summary>The config message for <paramref name="name"/> when it is new, else null (already announced).</summary>
    public MqttOutgoing? Announce(string name)
    {
        var topic = ConfigTopic(name);
        if (_configs.ContainsKey(topic)) return null;
        var objectId = MqttTopics.ObjectId(name);
        var config = new DiscoveryConfig
        {
            Name = name,
            UniqueId = $"{node}_{objectId}",
            DefaultEntityId = $"sensor.{node}_{objectId}",
            StateTopic = topics.Person(name),
            JsonAttributesTopic = topics.Person(name),
            AvailabilityTopic = topics.Available,
            Device = new DiscoveryDevice { Identifiers = [node], Name = $"Router {node}" },
        };
        var message = new MqttOutgoing(topic, JsonSerializer.SerializeToUtf8Bytes(config), Retain: true);
        return _configs.TryAdd(topic, message) ? message : null;
    }

    /// <summary>Every config announced so far.</summary>
    public IReadOnlyList<MqttOutgoing> Announced => _configs.Values.ToArray();
}
