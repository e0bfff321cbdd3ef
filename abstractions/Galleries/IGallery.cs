namespace Router.Abstractions;

/// <summary>
/// A gallery by name. Like sfapi's Gallery it is a proxy: getting one does not require the
/// gallery to exist; operations on a missing gallery fail with GALLERY_NOT_FOUND.
/// </summary>
public interface IGallery
{
    string Name { get; }

    /// <summary>Faces matching every filter, sorted (<see cref="ListSort"/>), at most <paramref name="limit"/> (1..10000).</summary>
    Task<ListResponse> ListAsync(IEnumerable<Filter>? filters = null, int limit = 1000, string? sort = null,
        string? page = null, bool ignoreErrors = false, CancellationToken ct = default);

    /// <summary>
    /// Adds a face with the id <paramref name="newId"/> (CONFLICT if taken), or with an id the
    /// gallery generates when it is null (retried up to <paramref name="regenerateAttempts"/> times on a clash).
    /// </summary>
    Task<Face> AddAsync(long? newId, FaceSource source, IReadOnlyDictionary<string, MetaValue>? meta = null,
        int regenerateAttempts = 0, CancellationToken ct = default);

    Task<Face> GetAsync(long id, CancellationToken ct = default);

    /// <summary>Sets the given meta keys; a key whose value is null is left as it is.</summary>
    Task<Face> UpdateAsync(long id, IReadOnlyDictionary<string, MetaValue?> meta, CancellationToken ct = default);

    Task DeleteAsync(long id, CancellationToken ct = default);

    /// <summary>Creates the gallery; CONFLICT if it exists.</summary>
    Task CreateAsync(CancellationToken ct = default);

    /// <summary>Removes the gallery and all its faces.</summary>
    Task DropAsync(CancellationToken ct = default);
}
