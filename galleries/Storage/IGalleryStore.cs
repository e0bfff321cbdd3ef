namespace Router.Galleries.Storage;

/// <summary>
/// Durable home of galleries and faces. Every method returns only once the change is
/// durable (committed and synced), so an acknowledged write survives a crash.
/// </summary>
public interface IGalleryStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken ct);

    Task<IReadOnlyList<string>> ListGalleriesAsync(CancellationToken ct);

    /// <summary>False when the gallery exists already.</summary>
    Task<bool> CreateGalleryAsync(string name, CancellationToken ct);

    /// <summary>Removes the gallery and its faces; false when it did not exist.</summary>
    Task<bool> DropGalleryAsync(string name, CancellationToken ct);

    /// <summary>False when the id is taken in that gallery.</summary>
    Task<bool> InsertFaceAsync(StoredFace face, CancellationToken ct);

    /// <summary>Bulk insert in one transaction (imports, benchmarks); ids must be free.</summary>
    Task InsertFacesAsync(IReadOnlyList<StoredFace> faces, CancellationToken ct);

    /// <summary>False when the face does not exist.</summary>
    Task<bool> UpdateMetaAsync(string gallery, long id, string metaJson, CancellationToken ct);

    /// <summary>False when the face does not exist.</summary>
    Task<bool> DeleteFaceAsync(string gallery, long id, CancellationToken ct);

    /// <summary>The exact vectors of those faces that exist, by id.</summary>
    Task<Dictionary<long, byte[]>> ReadVectorsAsync(string gallery, IReadOnlyList<long> ids, CancellationToken ct);

    /// <summary>Every face of a gallery (start-up load).</summary>
    IAsyncEnumerable<StoredFace> ReadAllAsync(string gallery, CancellationToken ct);
}
