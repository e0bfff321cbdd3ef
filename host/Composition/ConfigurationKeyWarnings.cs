namespace Router.Host.Composition;

/// <summary>Logs <see cref="ConfigurationKeyCheck"/>'s findings as warnings when the host starts; never stops it.</summary>
internal sealed class ConfigurationKeyWarnings(IConfiguration configuration, ILogger<ConfigurationKeyWarnings> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var problem in ConfigurationKeyCheck.Problems(configuration)) log.LogWarning("{Problem}", problem);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
