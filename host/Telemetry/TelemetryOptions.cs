namespace Router.Host.Telemetry;

/// <summary>The "Telemetry" section: where traces go. Metrics are always at <c>/metrics</c>.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// An OTLP/HTTP collector (Jaeger, Tempo, the OpenTelemetry Collector: <c>http://HOST:4318</c>) that
    /// receives the traces of face events; none by default (no span is recorded then).
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }
}
