using System.Diagnostics;
using System.Diagnostics.Metrics;
using Router.Host.Telemetry;

namespace Router.Host.Plugins;

/// <summary>
/// Each plugin's counters as instruments tagged <c>plugin</c> (observed from the same
/// <see cref="PluginCounters"/> that <c>/v1/plugins</c> shows), and the latency of every
/// ProcessAsync that completed as a histogram, recorded by the router (one call per face and plugin).
/// </summary>
public sealed class PluginMetrics : IMetricSource
{
    private readonly PluginRegistry _registry;
    private readonly Histogram<double> _processDuration;

    public PluginMetrics(IMeterFactory meters, PluginRegistry registry)
    {
        _registry = registry;
        var meter = RouterMeter.Create(meters);
        _processDuration = meter.CreateHistogram<double>("router.plugin.process.duration", "s",
            "Time of one completed ProcessAsync of a plugin", tags: null, advice: RouterMeter.SecondsBuckets);
        meter.CreateObservableCounter("router.plugin.processed", () => Observe(c => c.Processed), "{face}", "Faces a plugin processed");
        meter.CreateObservableCounter("router.plugin.errors", () => Observe(c => c.Errors), "{face}", "ProcessAsync calls that threw");
        meter.CreateObservableCounter("router.plugin.timeouts", () => Observe(c => c.Timeouts), "{face}", "ProcessAsync calls that ran past the plugin's timeout");
        meter.CreateObservableCounter("router.plugin.preprocess.errors", () => Observe(c => c.PreprocessErrors), "{face}", "PreprocessAsync calls that threw");
        meter.CreateObservableCounter("router.plugin.preprocess.timeouts", () => Observe(c => c.PreprocessTimeouts), "{face}", "PreprocessAsync calls that ran past the timeout");
        meter.CreateObservableCounter("router.plugin.not_interested", () => Observe(c => c.NotInterested), "{face}", "Faces a plugin's PreprocessAsync declined");
    }

    /// <summary>One ProcessAsync completed in <paramref name="elapsedTicks"/> (Stopwatch ticks).</summary>
    public void Processed(string plugin, long elapsedTicks) =>
        _processDuration.Record((double)elapsedTicks / Stopwatch.Frequency, new KeyValuePair<string, object?>("plugin", plugin));

    private IEnumerable<Measurement<long>> Observe(Func<PluginCountersSnapshot, long> value) =>
        _registry.Entries.Select(e => new Measurement<long>(value(e.Counters.Snapshot()), new KeyValuePair<string, object?>("plugin", e.Name)));
}
