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
    /// <param name="subject">The person the face belongs to (created on its first face), or null.</param>
    Task<Face> AddAsync(long? newId, FaceSource source, IReadOnlyDictionary<string, MetaValue>? meta = null,
        int regenerateAttempts = 0, CancellationToken ct = default, string? subject = null);

    Task<Face> GetAsync(long id, CancellationToken ct = default);

    /// <summary>Sets the given meta keys; a key whose value is null is left as it is.</summary>
    Task<Face> UpdateAsync(long id, IReadOnlyDictionary<string, MetaValue?> meta, CancellationToken ct = default);

    Task DeleteAsync(long id, CancellationToken ct = default);

    /// <summary>Moves a face to a subject (created if missing), or out of any subject with null.</summary>
    Task<Face> SetSubjectAsync(long id, string? subject, CancellationToken ct = default);

    /// <summary>Every subject of the gallery, by name.</summary>
    Task<IReadOnlyList<SubjectInfo>> ListSubjectsAsync(CancellationToken ct = default);

    /// <summary>Creates a subject with no faces yet; CONFLICT if it exists.</summary>
    Task<SubjectInfo> CreateSubjectAsync(string subject, CancellationToken ct = default);

    /// <summary>
    /// Renames a subject. Renaming onto an existing subject merges the two: its faces and negative
    /// examples join the other's. NOT_FOUND when <paramref name="subject"/> does not exist.
    /// </summary>
    Task<SubjectInfo> RenameSubjectAsync(string subject, string newName, CancellationToken ct = default);

    /// <summary>Deletes a subject with all its faces and negative examples; returns how many faces went.</summary>
    Task<int> DeleteSubjectAsync(string subject, CancellationToken ct = default);

    /// <summary>
    /// Per-person search: the best-matching face of each subject with similarity ≥ <paramref name="threshold"/>
    /// to <paramref name="query"/>, best first, at most <paramref name="limit"/> subjects, so that a person
    /// enrolled from ten photos is one result. Faces without a subject are not considered; the other
    /// filters (id, meta) narrow the faces searched. A subject whose negative examples are as close to the
    /// query as its own faces (within <see cref="MatchThresholds.NegativeMargin"/>) is left out.
    /// </summary>
    Task<IReadOnlyList<SubjectMatch>> SearchSubjectsAsync(FaceSource query, double threshold, int limit = 10,
        IEnumerable<Filter>? filters = null, CancellationToken ct = default);

    /// <summary>"This is not <paramref name="subject"/>": stores the face of <paramref name="source"/> as a negative example of it.</summary>
    Task<NegativeExample> AddNegativeAsync(string subject, FaceSource source, CancellationToken ct = default);

    Task<IReadOnlyList<NegativeExample>> ListNegativesAsync(string subject, CancellationToken ct = default);

    Task DeleteNegativeAsync(string subject, long negativeId, CancellationToken ct = default);
    /// <summary>Creates the gallery; CONFLICT if it exists.</summary>
    Task CreateAsync(CancellationToken ct = default);

    /// <summary>Removes the gallery and all its faces.</summary>
    Task DropAsync(CancellationToken ct = default);
}
