namespace Router.Host.Telemetry;

/// <summary>
/// A component's instruments, created in its constructor. Observable instruments exist only once
/// their owner is built, so <see cref="MetricSourcesStartup"/> builds every registered source at
/// start-up, before the first scrape, whether or not anything else asked for it yet.
/// </summary>
public interface IMetricSource;
