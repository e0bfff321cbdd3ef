using System.Text.Json.Serialization;
using Router.Abstractions;

namespace Router.Host.Events;

/// <summary>What one plugin did with one event, as the events API shows it.</summary>
public sealed record PluginOutcome(
    [property: JsonPropertyName("plugin")] string Plugin,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("features"), JsonConverter(typeof(FaceFeaturesJsonConverter))] FaceFeatures Features,
    [property: JsonPropertyName("elapsed_ms")] double ElapsedMs,
    [property: JsonPropertyName("error")] string? Error,
    /// <summary>What the plugin concluded (<see cref="IPluginContext.Annotate"/>), e.g. Watchlist's match.</summary>
    [property: JsonPropertyName("annotation")] IReadOnlyDictionary<string, string>? Annotation = null);
