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

    /// <summary>Sets or clears (null) a face's subject, creating the subject if missing; false when the face does not exist.</summary>
    Task<bool> SetFaceSubjectAsync(string gallery, long id, string? subject, CancellationToken ct);

    /// <summary>Every subject name of a gallery, including those without faces.</summary>
    Task<IReadOnlyList<string>> ListSubjectsAsync(string gallery, CancellationToken ct);

    /// <summary>False when the subject exists already.</summary>
    Task<bool> CreateSubjectAsync(string gallery, string subject, CancellationToken ct);

    /// <summary>
    /// Moves the faces and negatives of <paramref name="from"/> to <paramref name="to"/> (created if
    /// missing) and removes <paramref name="from"/>, in one transaction.
    /// </summary>
    Task RenameSubjectAsync(string gallery, string from, string to, CancellationToken ct);

    /// <summary>Removes a subject, its faces and its negatives in one transaction.</summary>
    Task DeleteSubjectAsync(string gallery, string subject, CancellationToken ct);

    /// <summary>Stores a negative example, creating its subject if missing; false when the id is taken.</summary>
    Task<bool> InsertNegativeAsync(StoredNegative negative, CancellationToken ct);

    /// <summary>False when the negative does not exist.</summary>
    Task<bool> DeleteNegativeAsync(string gallery, long id, CancellationToken ct);

    /// <summary>A face's thumbnail (JPEG), or null when it has none or does not exist. Deleting a face deletes its thumbnail.</summary>
    Task<byte[]?> ReadThumbnailAsync(string gallery, long id, CancellationToken ct);

    /// <summary>Every negative example of a gallery (start-up load).</summary>
    IAsyncEnumerable<StoredNegative> ReadNegativesAsync(string gallery, CancellationToken ct);
}
