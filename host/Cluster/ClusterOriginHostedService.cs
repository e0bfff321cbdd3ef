using Microsoft.Extensions.Options;
using Router.Host.Events;

namespace Router.Host.Cluster;

/// <summary>Stamps this node's name on the events it routes (the feed's origin), before any camera of the cluster starts.</summary>
public sealed class ClusterOriginHostedService(EventFeed feed, IOptions<ClusterOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        feed.Origin = options.Value.NodeName;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
