namespace Router.Host.Cameras;

/// <summary>
/// Which node runs a stored camera. On one box (<see cref="LocalCameraPlacement"/>) the catalog
/// runs every enabled camera itself; in a cluster something else decides (it calls the catalog's
/// <see cref="CameraCatalog.RunHereAsync"/> and <see cref="CameraCatalog.StopHereAsync"/>), and the
/// catalog only tells it that the stored cameras changed.
/// </summary>
public interface ICameraPlacement
{
    /// <summary>True when this host runs every enabled stored camera (single-box mode).</summary>
    bool RunsEverything { get; }

    /// <summary>The node that runs the camera, as last seen; null when none (or on one box).</summary>
    string? NodeOf(string camId);

    /// <summary>The stored cameras changed on this node (PUT/DELETE): look again soon.</summary>
    void StoredCamerasChanged();
}

/// <summary>Single-box mode: this host runs every enabled camera, as before clustering existed.</summary>
public sealed class LocalCameraPlacement : ICameraPlacement
{
    public bool RunsEverything => true;
    public string? NodeOf(string camId) => null;
    public void StoredCamerasChanged() { }
}
