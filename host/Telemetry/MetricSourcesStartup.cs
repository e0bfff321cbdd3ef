namespace Router.Host.Telemetry;

/// <summary>Builds every <see cref="IMetricSource"/> at start-up (see there why).</summary>
internal sealed class MetricSourcesStartup(IEnumerable<IMetricSource> sources) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = sources.Count();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
