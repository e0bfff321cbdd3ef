using Router.Abstractions;

namespace Router.Galleries.Engine;

/// <summary>The in-process <see cref="IGallery"/>: a named proxy over the engine (the gallery need not exist yet).</summary>
public sealed class EngineGallery(GalleryEngine engine, string name) : IGallery
{
    public string Name { get; } = name;

    public Task<ListResponse> ListAsync(IEnumerable<Filter>? filters = null, int limit = 1000, string? sort = null, string? page = null,
        bool ignoreErrors = false, CancellationToken ct = default) =>
        engine.ListAsync(Name, filters, limit, sort, page, ct);

    public Task<Face> AddAsync(long? newId, FaceSource source, IReadOnlyDictionary<string, MetaValue>? meta = null, int regenerateAttempts = 0,
        CancellationToken ct = default, string? subject = null) =>
        engine.AddFaceAsync(Name, newId, source, meta, regenerateAttempts, ct, subject: subject);

    public Task<Face> GetAsync(long id, CancellationToken ct = default) => engine.GetFaceAsync(Name, id, ct);

    public Task<Face> UpdateAsync(long id, IReadOnlyDictionary<string, MetaValue?> meta, CancellationToken ct = default) =>
        engine.UpdateFaceAsync(Name, id, meta, ct);

    public Task DeleteAsync(long id, CancellationToken ct = default) => engine.DeleteFaceAsync(Name, id, ct);

    public Task CreateAsync(CancellationToken ct = default) => engine.CreateGalleryAsync(Name, ct);

    public Task DropAsync(CancellationToken ct = default) => engine.DropGalleryAsync(Name, ct);

    public Task<Face> SetSubjectAsync(long id, string? subject, CancellationToken ct = default) => engine.SetFaceSubjectAsync(Name, id, subject, ct);

    public Task<IReadOnlyList<SubjectInfo>> ListSubjectsAsync(CancellationToken ct = default) => engine.ListSubjectsAsync(Name, ct);

    public Task<SubjectInfo> CreateSubjectAsync(string subject, CancellationToken ct = default) => engine.CreateSubjectAsync(Name, subject, ct);

    public Task<SubjectInfo> RenameSubjectAsync(string subject, string newName, CancellationToken ct = default) =>
        engine.RenameSubjectAsync(Name, subject, newName, ct);

    public Task<int> DeleteSubjectAsync(string subject, CancellationToken ct = default) => engine.DeleteSubjectAsync(Name, subject, ct);

    public Task<IReadOnlyList<SubjectMatch>> SearchSubjectsAsync(FaceSource query, double threshold, int limit = 10, IEnumerable<Filter>? filters = null,
        CancellationToken ct = default) =>
        engine.SearchSubjectsAsync(Name, query, threshold, limit, filters, ct);

    public Task<NegativeExample> AddNegativeAsync(string subject, FaceSource source, CancellationToken ct = default) =>
        engine.AddNegativeAsync(Name, subject, source, ct);

    public Task<IReadOnlyList<NegativeExample>> ListNegativesAsync(string subject, CancellationToken ct = default) =>
        engine.ListNegativesAsync(Name, subject, ct);

    public Task DeleteNegativeAsync(string subject, long negativeId, CancellationToken ct = default) =>
        engine.DeleteNegativeAsync(Name, subject, negativeId, ct);
}
