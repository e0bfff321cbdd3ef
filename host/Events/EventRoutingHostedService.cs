namespace Router.Host.Events;

/// <summary>
/// Runs the <see cref="FaceEventRouter"/>'s workers for the host's lifetime. Registered after
/// the plugins and before the cameras, so that on stop (reverse order) the cameras stop first,
/// then the events in flight are routed, and only then are the plugins shut down.
/// </summary>
public sealed class EventRoutingHostedService(FaceEventRouter router, ILogger<EventRoutingHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        router.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        var waiting = router.QueueDepth;
        await router.DrainAsync(ct).ConfigureAwait(false);
        logger.LogInformation("events drained ({Waiting} were queued); {Routed} routed, {Failed} failed, {Refused} refused in all",
            waiting, router.Counters.Routed, router.Counters.Failed, router.Counters.Refused);
    }
}
