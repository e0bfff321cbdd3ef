using Microsoft.Extensions.Options;
using Router.Host.Cameras;

namespace Router.Host.Cluster;

/// <summary>
/// What this node last saw of the cluster (the assigner writes it every tick): the camera placement the
/// catalog asks (camera status shows its node), and the view GET /v1/cluster serves.
/// </summary>
public sealed class ClusterState(IOptions<ClusterOptions> options) : ICameraPlacement
{
    private volatile ClusterView _view = new() { Node = options.Value.NodeName };
    private volatile Dictionary<string, string> _owners = new(StringComparer.Ordinal);

    public bool RunsEverything => false;

    public string? NodeOf(string camId) => _owners.GetValueOrDefault(camId);

    // A PUT or DELETE NOTIFYs through PostgreSQL, which this node LISTENs to as well: nothing more to do.
    public void StoredCamerasChanged() { }

    public ClusterView View => _view;

    internal void Publish(ClusterView view)
    {
        _owners = view.Cameras.Where(c => c.Node is not null).ToDictionary(c => c.Id, c => c.Node!, StringComparer.Ordinal);
        _view = view;
    }

    internal void Disconnected() => _view = _view with { Connected = false };
}
