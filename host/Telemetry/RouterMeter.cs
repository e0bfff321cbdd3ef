using System.Diagnostics.Metrics;

namespace Router.Host.Telemetry;

/// <summary>The host's meter: every instrument of the host is on it (the gallery engine has its own, <c>Router.Galleries</c>).</summary>
public static class RouterMeter
{
    public const string Name = "Router";

    /// <summary>Histogram bounds in seconds for the host's latencies (a plugin call, frame to event): 0.5 ms to 10 s.</summary>
    public static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    /// <summary>The meter of this host's container (one per factory, so two hosts in one process keep their own).</summary>
    public static Meter Create(IMeterFactory factory) => factory.Create(Name);
}
