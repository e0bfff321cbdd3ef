namespace Router.Host.Cameras;

/// <summary>
/// Where the cameras added over the API are kept: <see cref="CameraStore"/> (cameras.json, one
/// box) or a shared database when several nodes form a cluster. Reads come from memory; a write
/// returns once the store made it durable.
/// </summary>
public interface ICameraStore
{
    /// <summary>Where the cameras are kept, for logs and errors.</summary>
    string Description { get; }
    IReadOnlyList<CameraRecord> All();
    CameraRecord? Get(string id);
    Task PutAsync(CameraRecord record, CancellationToken ct);
    Task<bool> DeleteAsync(string id, CancellationToken ct);
}
