using System.Diagnostics;
using Router.Abstractions;
using Router.Galleries.Index;
using Router.Galleries.Query;
using Router.Galleries.Storage;
using Router.Galleries.Subjects;

namespace Router.Galleries.Engine;

/// <summary>
/// Subjects (persons) and their negative examples. Like faces, every change goes to the store
/// first and then to memory (the face index for a face's subject, the <see cref="SubjectRegistry"/>
/// for names, counts and negatives), under the engine's one write gate.
/// </summary>
public sealed partial class GalleryEngine
{
    private SubjectRegistry SubjectsOf(string gallery) =>
        _subjects.TryGetValue(gallery, out var s) ? s
            : throw new GalleryException(ErrorCodes.GalleryNotFound, $"gallery '{gallery}' does not exist");

    private static GalleryException SubjectNotFound(string gallery, string subject) =>
        new(ErrorCodes.NotFound, $"subject '{subject}' does not exist in gallery '{gallery}'", "subject", subject);

    public async Task<IReadOnlyList<SubjectInfo>> ListSubjectsAsync(string gallery, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        IndexOf(gallery);
        return SubjectsOf(gallery).List();
    }

    public async Task<SubjectInfo> GetSubjectAsync(string gallery, string subject, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        IndexOf(gallery);
        return SubjectsOf(gallery).Info(subject) ?? throw SubjectNotFound(gallery, subject);
    }

    public async Task<SubjectInfo> CreateSubjectAsync(string gallery, string subject, CancellationToken ct = default)
    {
        SubjectNames.Check(subject);
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            IndexOf(gallery);
            var subjects = SubjectsOf(gallery);
            if (subjects.Contains(subject) || !await _store.CreateSubjectAsync(gallery, subject, ct).ConfigureAwait(false))
                throw new GalleryException(ErrorCodes.Conflict, $"subject '{subject}' exists already in gallery '{gallery}'", "subject", subject);
            subjects.Ensure(subject);
            return subjects.Info(subject)!;
        }
        finally { _writeGate.Release(); }
    }

    /// <summary>Renames <paramref name="subject"/>; onto an existing subject it merges the two (faces and negatives).</summary>
    public async Task<SubjectInfo> RenameSubjectAsync(string gallery, string subject, string newName, CancellationToken ct = default)
    {
        SubjectNames.Check(newName, "new_name");
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = IndexOf(gallery);
            var subjects = SubjectsOf(gallery);
            if (!subjects.Contains(subject)) throw SubjectNotFound(gallery, subject);
            if (subject == newName) return subjects.Info(subject)!;
            await _store.RenameSubjectAsync(gallery, subject, newName, ct).ConfigureAwait(false);
            foreach (var id in index.IdsWhere(e => e.Subject == subject))
                if (index.TryGet(id, out var entry)) index.UpdateEntry(id, entry.WithSubject(newName));
            subjects.Merge(subject, newName);
            return subjects.Info(newName)!;
        }
        finally { _writeGate.Release(); }
    }

    public async Task<int> DeleteSubjectAsync(string gallery, string subject, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = IndexOf(gallery);
            var subjects = SubjectsOf(gallery);
            if (!subjects.Contains(subject)) throw SubjectNotFound(gallery, subject);
            await _store.DeleteSubjectAsync(gallery, subject, ct).ConfigureAwait(false);
            var ids = index.IdsWhere(e => e.Subject == subject);
            foreach (var id in ids) index.Remove(id);
            subjects.Remove(subject);
            return ids.Count;
        }
        finally { _writeGate.Release(); }
    }

    /// <summary>Puts a face into <paramref name="subject"/> (created if missing) or, with null, out of any.</summary>
    public async Task<Face> SetFaceSubjectAsync(string gallery, long id, string? subject, CancellationToken ct = default)
    {
        if (subject is not null) SubjectNames.Check(subject);
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = IndexOf(gallery);
            var subjects = SubjectsOf(gallery);
            if (!index.TryGet(id, out var entry)) throw FaceNotFound(gallery, id);
            if (entry.Subject == subject) return ToFace(gallery, id, entry, null);
            if (!await _store.SetFaceSubjectAsync(gallery, id, subject, ct).ConfigureAwait(false)) throw FaceNotFound(gallery, id);
            var updated = entry.WithSubject(subject);
            index.UpdateEntry(id, updated);
            if (entry.Subject is not null) subjects.RemoveFace(entry.Subject);
            if (subject is not null) subjects.AddFace(subject);
            return ToFace(gallery, id, updated, null);
        }
        finally { _writeGate.Release(); }
    }

    /// <summary>Per-subject search for a detection or stored face: see <see cref="IGallery.SearchSubjectsAsync"/>.</summary>
    public async Task<IReadOnlyList<SubjectMatch>> SearchSubjectsAsync(string gallery, FaceSource query, double threshold, int limit = 10,
        IEnumerable<Filter>? filters = null, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        IndexOf(gallery);
        var (vector, _) = await ResolveSourceAsync(query, "looks_like", ct).ConfigureAwait(false);
        return await SearchSubjectsAsync(gallery, vector, threshold, limit, filters, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Per-subject search for an embedding. One scan keeps the best candidates among faces that
    /// belong to a subject; after the exact re-rank the first face of each subject in score order is
    /// its best. When the candidates ran out before <paramref name="limit"/> subjects were found
    /// and the scan had turned some away, it scans again with room for four times as many.
    /// </summary>
    public async Task<IReadOnlyList<SubjectMatch>> SearchSubjectsAsync(string gallery, float[] vector, double threshold, int limit,
        IEnumerable<Filter>? filters, CancellationToken ct = default, double negativeMargin = MatchThresholds.NegativeMargin)
    {
        long started = Stopwatch.GetTimestamp();
        await Started(ct).ConfigureAwait(false);
        var index = IndexOf(gallery);
        var subjects = SubjectsOf(gallery);
        if (limit < 1 || limit > MaxLimit) throw RouterException.BadParam("limit", limit, $"limit must be 1..{MaxLimit}");
        foreach (var f in filters ?? [])
            if (f is DetectionFilter or FaceFilter or VectorFilter)
                throw RouterException.BadParam("filters", f.GetType().Name, "a per-subject search takes its query apart from the filters");
        var plan = await CompileAsync([.. filters ?? [], new VectorFilter(vector, threshold)], MaxLimit, null, null, ct, withSubjectOnly: true).ConfigureAwait(false);

        for (int capacity = Math.Max(64, limit * 8); ; capacity *= 4)
        {
            using var heap = new CandidateHeap(ListOrder.ConfidenceDescending, capacity);
            index.Scan(plan, heap);
            int kept = await RerankAsync(gallery, plan, heap.Memory, ct).ConfigureAwait(false);
            var ordered = heap.Memory.Span[..kept];
            SortExact(ordered, ListOrder.ConfidenceDescending);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var matches = new List<SubjectMatch>();
            foreach (var c in ordered)
            {
                var subject = c.Entry.Subject!;
                if (!seen.Add(subject)) continue;
                var negative = subjects.ClosestNegative(subject, plan.Query);
                // "This is not X": X is vetoed when the query is about as close to one of X's negatives as to X itself.
                if (negative is { } n && n >= c.Exact - negativeMargin) continue;
                matches.Add(new SubjectMatch { Subject = subject, Face = ToFace(gallery, c.Id, c.Entry, c.Exact), NegativeConfidence = negative });
                if (matches.Count == limit) break;
            }
            if (matches.Count == limit || !heap.Capped || capacity >= int.MaxValue / 8)
            {
                _metrics?.SearchDone(gallery, started, GalleryEngineMetrics.Subjects);
                return matches;
            }
        }
    }

    /// <summary>"This is not <paramref name="subject"/>": stores the face of <paramref name="source"/> as a negative example of it.</summary>
    public async Task<NegativeExample> AddNegativeAsync(string gallery, string subject, FaceSource source, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        IndexOf(gallery);
        if (!SubjectsOf(gallery).Contains(subject)) throw SubjectNotFound(gallery, subject);
        if (source is StoredFaceSource { Face: var f } && f.Gallery == gallery && _galleries[gallery].TryGet(f.Face, out var own) && own.Subject == subject)
            throw RouterException.BadParam("from", source.ToString(), $"face {f} is one of '{subject}''s own faces: move it out of the subject instead");
        var (vector, _) = await ResolveSourceAsync(source, "from", ct).ConfigureAwait(false);
        var created = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            IndexOf(gallery);
            var subjects = SubjectsOf(gallery);
            if (!subjects.Contains(subject)) throw SubjectNotFound(gallery, subject);
            for (int attempt = 0; ; attempt++)
            {
                long id = _ids.NextId();
                if (subjects.OwnerOfNegative(id) is null &&
                    await _store.InsertNegativeAsync(new StoredNegative(gallery, id, subject, FaceJson.VectorBytes(vector), source.ToString(), created), ct).ConfigureAwait(false))
                {
                    subjects.AddNegative(subject, new NegativeVector(id, vector, source.ToString(), created));
                    return new NegativeExample(id, subject, source.ToString(), DateTimeOffset.FromUnixTimeMilliseconds(created));
                }
                if (attempt >= 3) throw new GalleryException(ErrorCodes.Conflict, $"negative id {id} exists already in gallery '{gallery}'");
            }
        }
        finally { _writeGate.Release(); }
    }

    public async Task<IReadOnlyList<NegativeExample>> ListNegativesAsync(string gallery, string subject, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        IndexOf(gallery);
        var subjects = SubjectsOf(gallery);
        if (!subjects.Contains(subject)) throw SubjectNotFound(gallery, subject);
        return subjects.NegativesOf(subject)
            .Select(n => new NegativeExample(n.Id, subject, n.Source, DateTimeOffset.FromUnixTimeMilliseconds(n.CreatedMs))).ToList();
    }

    public async Task DeleteNegativeAsync(string gallery, string subject, long negativeId, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            IndexOf(gallery);
            var subjects = SubjectsOf(gallery);
            if (!subjects.Contains(subject)) throw SubjectNotFound(gallery, subject);
            if (!subjects.NegativesOf(subject).Any(n => n.Id == negativeId))
                throw new GalleryException(ErrorCodes.NotFound, $"negative {negativeId} of '{subject}' does not exist in gallery '{gallery}'");
            await _store.DeleteNegativeAsync(gallery, negativeId, ct).ConfigureAwait(false);
            subjects.RemoveNegative(subject, negativeId);
        }
        finally { _writeGate.Release(); }
    }
}
