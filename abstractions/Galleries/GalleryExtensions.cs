namespace Router.Abstractions;

public static class GalleryExtensions
{
    /// <summary>
    /// Adds a face with an id from <paramref name="newId"/>, calling it again on CONFLICT up to
    /// <paramref name="regenerateAttempts"/> more times (sfapi's add with a callable id).
    /// </summary>
    public static async Task<Face> AddAsync(this IGallery gallery, Func<CancellationToken, ValueTask<long>> newId,
        FaceSource source, IReadOnlyDictionary<string, MetaValue>? meta = null, int regenerateAttempts = 0,
        CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            long id = await newId(ct).ConfigureAwait(false);
            try
            {
                return await gallery.AddAsync(id, source, meta, 0, ct).ConfigureAwait(false);
            }
            catch (RouterException e) when (e.Code == ErrorCodes.Conflict && attempt < regenerateAttempts)
            {
            }
        }
    }

    /// <summary>Adds a face with an id from <paramref name="ids"/>, retrying on CONFLICT.</summary>
    public static Task<Face> AddAsync(this IGallery gallery, IIdGenerator ids, FaceSource source,
        IReadOnlyDictionary<string, MetaValue>? meta = null, int regenerateAttempts = 0, CancellationToken ct = default) =>
        gallery.AddAsync(_ => ValueTask.FromResult(ids.NextId()), source, meta, regenerateAttempts, ct);
}
