namespace Router.Plugins.Mqtt;

/// <summary>One message waiting for the broker: its topic, JSON (or plain) payload, and whether the broker keeps it for later subscribers.</summary>
public sealed record MqttOutgoing(string Topic, byte[] Payload, bool Retain);
