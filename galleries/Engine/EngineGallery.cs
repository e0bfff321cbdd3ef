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
        CancellationToken ct = default) =>
        engine.AddFaceAsync(Name, newId, source, meta, regenerateAttempts, ct);

    public Task<Face> GetAsync(long id, CancellationToken ct = default) => engine.GetFaceAsync(Name, id, ct);

    public Task<Face> UpdateAsync(long id, IReadOnlyDictionary<string, MetaValue?> meta, CancellationToken ct = default) =>
        engine.UpdateFaceAsync(Name, id, meta, ct);

    public Task DeleteAsync(long id, CancellationToken ct = default) => engine.DeleteFaceAsync(Name, id, ct);

    public Task CreateAsync(CancellationToken ct = default) => engine.CreateGalleryAsync(Name, ct);

    public Task DropAsync(CancellationToken ct = default) => engine.DropGalleryAsync(Name, ct);
}
