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

    /// <summary>
    /// Who a face is in this gallery, at <paramref name="threshold"/>: the best-matching face, and when it
    /// belongs to a subject, that subject's best face from a per-subject search, so that negative examples
    /// ("this is not X") are respected. Null when nobody matches (or the best match was vetoed).
    /// Galleries without subjects work as before: the best face is the answer.
    /// </summary>
    public static async Task<Face?> IdentifyAsync(this IGallery gallery, FaceSource query, double threshold, CancellationToken ct = default)
    {
        var filter = query switch
        {
            DetectionSource d => Filters.Detection(d.DetectionId, threshold),
            StoredFaceSource f => Filters.Face(f.Face, threshold),
            _ => throw RouterException.BadParam("query", query?.ToString(), "expected a detection or a stored face"),
        };
        var top = await gallery.ListAsync([filter], limit: 1, ct: ct).ConfigureAwait(false);
        if (top.Results.Count == 0) return null;
        if (top.Results[0].Subject is null) return top.Results[0];
        var subjects = await gallery.SearchSubjectsAsync(query, threshold, limit: 1, ct: ct).ConfigureAwait(false);
        return subjects.Count > 0 ? subjects[0].Face : null;
    }

    /// <summary>What operators call a matched face: its subject, else its "name" meta, else null.</summary>
    public static string? DisplayName(this Face face) =>
        face.Subject ?? (face.Meta.TryGetValue("name", out var n) ? n.ToString() : null);
}
