using System.Text.Json.Serialization;

namespace Router.Plugins.Mqtt;

/// <summary>
/// A Home Assistant MQTT discovery config for one sensor (HA's field names). Published retained on
/// <c>{discovery}/sensor/{node}/{object}/config</c>, it makes HA create the entity by itself.
/// </summary>
public sealed record DiscoveryConfig
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("unique_id")] public required string UniqueId { get; init; }
    /// <summary>
    /// The entity id HA gives the sensor (<c>sensor.router_alice</c>). HA 2025.10 replaced <c>object_id</c> with this
    /// (object_id stopped working in 2026.4); an older HA ignores it and names the entity after the device and name.
    /// </summary>
    [JsonPropertyName("default_entity_id")] public required string DefaultEntityId { get; init; }
    [JsonPropertyName("state_topic")] public required string StateTopic { get; init; }
    [JsonPropertyName("value_template")] public string ValueTemplate { get; init; } = "{{ value_json.camera }}";
    [JsonPropertyName("json_attributes_topic")] public required string JsonAttributesTopic { get; init; }
    [JsonPropertyName("availability_topic")] public required string AvailabilityTopic { get; init; }
    [JsonPropertyName("payload_available")] public string PayloadAvailable { get; init; } = MqttPublisher.Online;
    [JsonPropertyName("payload_not_available")] public string PayloadNotAvailable { get; init; } = MqttPublisher.Offline;
    [JsonPropertyName("icon")] public string Icon { get; init; } = "mdi:account";
    [JsonPropertyName("device")] public required DiscoveryDevice Device { get; init; }
}

/// <summary>The HA device the sensors belong to: one per Router (per discovery node).</summary>
public sealed record DiscoveryDevice
{
    [JsonPropertyName("identifiers")] public required IReadOnlyList<string> Identifiers { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("manufacturer")] public string Manufacturer { get; init; } = "Router";
    [JsonPropertyName("model")] public string Model { get; init; } = "face router";
}
