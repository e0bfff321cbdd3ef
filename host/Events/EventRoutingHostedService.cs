using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Pipeline;

namespace Router.Host.Events;

/// <summary>
/// Runs the <see cref="FaceEventRouter"/>'s workers for the host's lifetime. Registered after
/// the plugins and before the cameras, so that on stop (reverse order) the cameras stop first,
/// then the events in flight are routed, and only then are the plugins shut down. At start it
/// queues again what the last stop journaled; at stop, whatever is not routed by
/// <see cref="EventsOptions.DrainTimeout"/> goes to the <see cref="EventJournal"/>: bounded, and
/// nothing lost silently. Its stop never throws.
/// </summary>
public sealed class EventRoutingHostedService(FaceEventRouter router, EventJournal journal, IOptions<EventsOptions> options,
    ILogger<EventRoutingHostedService> logger) : IHostedService, IDisposable
{
    public void Dispose() => _stopping.Dispose();

    private readonly CancellationTokenSource _stopping = new();
    private Task<IReadOnlyList<FaceEvent>> _replay = Task.FromResult<IReadOnlyList<FaceEvent>>([]);

    public Task StartAsync(CancellationToken ct)
    {
        router.Start();
        var (events, unreadable) = journal.TakeAll();
        if (unreadable > 0) logger.LogWarning("{Count} lines of the event journal {Path} could not be read and were skipped", unreadable, journal.Path);
        if (events.Count > 0)
        {
            logger.LogInformation("routing {Count} events that the last stop journaled in {Path}", events.Count, journal.Path);
            _replay = Task.Run(() => ReplayAsync(events));
        }
        return Task.CompletedTask;
    }

    /// <summary>Queues the journaled events (the queue may be smaller than them); returns those not queued when the host began to stop.</summary>
    private async Task<IReadOnlyList<FaceEvent>> ReplayAsync(List<FaceEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            try
            {
                await router.PublishAsync(events[i], _stopping.Token).ConfigureAwait(false);
                router.Counters.OnReplayed();
            }
            catch (Exception e) when (e is OperationCanceledException or RouterException)
            {
                return events[i..];
            }
        }
        return [];
    }

    public async Task StopAsync(CancellationToken ct)
    {
        var waiting = router.QueueDepth;
        await _stopping.CancelAsync().ConfigureAwait(false);
        var notReplayed = await _replay.ConfigureAwait(false);
        var drain = await router.DrainAsync(options.Value.DrainTimeout, ct).ConfigureAwait(false);
        var left = notReplayed.Concat(drain.Queued).Concat(drain.InFlight).ToList();
        if (left.Count > 0)
        {
            try
            {
                journal.Write(left);
                router.Counters.OnJournaled(left.Count);
                logger.LogWarning(
                    "{Count} events were not routed by the {Deadline:0.#} s drain deadline and are journaled in {Path} for the next start " +
                    "({Queued} queued, {InFlight} still being routed: those may reach some plugins twice, {NotReplayed} from the previous journal)",
                    left.Count, options.Value.DrainTimeout.TotalSeconds, journal.Path, drain.Queued.Count, drain.InFlight.Count, notReplayed.Count);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError("{Count} events were not routed by the drain deadline and could not be journaled in {Path}: {Error}", left.Count, journal.Path, e.Message);
            }
        }
        logger.LogInformation("events drained ({Waiting} were queued); {Routed} routed, {Failed} failed, {Refused} refused, {Journaled} journaled in all",
            waiting, router.Counters.Routed, router.Counters.Failed, router.Counters.Refused, router.Counters.Journaled);
    }
}
