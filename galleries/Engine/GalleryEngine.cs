using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Galleries.Index;
using Router.Galleries.Query;
using Router.Galleries.Storage;
using Router.Galleries.Subjects;

namespace Router.Galleries.Engine;

/// <summary>
/// Galleries and their faces: the store is the truth, one <see cref="GalleryIndex"/> per
/// gallery mirrors it in memory. Every write goes to the store first (durably) and then to
/// the index, under one write gate so the two never disagree; reads use the index only,
/// plus the store for the exact vectors of re-ranked candidates.
/// </summary>
public sealed partial class GalleryEngine : IAsyncDisposable
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10000;

    private readonly IGalleryStore _store;
    private readonly IIdGenerator _ids;
    private readonly ILogger<GalleryEngine> _log;
    private readonly ConcurrentDictionary<string, GalleryIndex> _galleries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SubjectRegistry> _subjects = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly bool _followChanges;
    private readonly object _startGate = new();
    private Task? _start;
    private readonly GalleryEngineMetrics? _metrics;

    private readonly MetaLimits _metaLimits;

    /// <param name="meters">Where the engine's instruments live (<see cref="GalleryEngineMetrics"/>); none without it.</param>
    /// <param name="followChanges">Follow the writes of other nodes sharing the store (<see cref="IGalleryChangeFeed"/>, PostgreSQL).</param>
    public GalleryEngine(IGalleryStore store, IDetectionCache detections, IIdGenerator ids, ILogger<GalleryEngine> log, IMeterFactory? meters = null,
        bool followChanges = false, MetaLimits? metaLimits = null)
    {
        _metaLimits = metaLimits ?? MetaLimits.Default;
        _store = store;
        _followChanges = followChanges;
        Detections = detections;
        _ids = ids;
        _log = log;
        _metrics = meters is null ? null : new GalleryEngineMetrics(meters, GallerySizes);
    }

    private IEnumerable<Measurement<long>> GallerySizes() =>
        _galleries.Values.Select(g => new Measurement<long>(g.Count, new KeyValuePair<string, object?>("gallery", g.Name)));

    public IDetectionCache Detections { get; }
    public IGalleryStore Store => _store;

    /// <summary>Initialises the store and loads every gallery into memory; idempotent, and awaited by every operation.</summary>
    public Task StartAsync(CancellationToken ct = default)
    {
        lock (_startGate)
            return _start is { IsFaulted: false, IsCanceled: false } ? _start : _start = LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await _store.InitializeAsync(ct).ConfigureAwait(false);
        // Read the change position first: changes that commit during the load are applied again after it.
        var position = await FollowPositionAsync(ct).ConfigureAwait(false);
        // The index version too is read before anything else: a write by another process during the
        // load can then only make the snapshot look stale (a rebuild), never make a stale one look current.
        var snapshotStore = _store as IIndexSnapshotStore;
        Dictionary<string, GalleryIndex>? snapshot = null;
        bool caughtUp = false;
        string reason = "not supported by this store";
        if (snapshotStore is not null)
        {
            var version = await snapshotStore.ReadIndexVersionAsync(ct).ConfigureAwait(false);
            (snapshot, caughtUp) = await ReadSnapshotAsync(snapshotStore, version, r => reason = r, ct).ConfigureAwait(false);
        }
        long faces = 0;
        foreach (var name in await _store.ListGalleriesAsync(ct).ConfigureAwait(false))
        {
            if (snapshot is null)
            {
                faces += await LoadGalleryAsync(name, ct).ConfigureAwait(false);
                continue;
            }
            // A gallery made after the snapshot has no faces, or got them from the change log.
            var index = snapshot.GetValueOrDefault(name) ?? new GalleryIndex(name);
            _subjects[name] = await LoadSubjectsAsync(name, index, ct).ConfigureAwait(false);
            _galleries[name] = index;
            faces += index.Count;
        }
        LastIndexLoad = new IndexLoadInfo(snapshot is null ? "store" : "snapshot", reason, faces, watch.Elapsed.TotalSeconds);
        _log.LogInformation("Loaded {Galleries} galleries with {Faces} faces in {Seconds:F1} s (from the {Source})", _galleries.Count, faces,
            watch.Elapsed.TotalSeconds, LastIndexLoad.Source);
        if (snapshotStore is not null && (snapshot is null || caughtUp)) SaveSnapshotInBackground(snapshotStore);
        if (snapshotStore is not null) StartSnapshotLoop(snapshotStore);
        if (position is { } p) StartFollowing(p);
    }

    /// <summary>Reads one gallery from the store into a new index and subject registry, replacing the ones in memory; returns its face count.</summary>
    private async Task<long> LoadGalleryAsync(string name, CancellationToken ct)
    {
        var index = new GalleryIndex(name);
        long faces = 0;
        // Rows are read on this thread while the previous batch is parsed and encoded on the
        // others: a 10 M-face cold load is bound by the store's read rate, not by encoding.
        var batch = new List<StoredFace>(LoadBatch);
        var pending = Task.CompletedTask;
        await foreach (var f in _store.ReadAllAsync(name, ct).ConfigureAwait(false))
        {
            batch.Add(f);
            faces++;
            if (batch.Count < LoadBatch) continue;
            await pending.ConfigureAwait(false);
            var full = batch;
            pending = Task.Run(() => AddLoaded(index, full), ct);
            batch = new List<StoredFace>(LoadBatch);
        }
        await pending.ConfigureAwait(false);
        AddLoaded(index, batch);
        _subjects[name] = await LoadSubjectsAsync(name, index, ct).ConfigureAwait(false);
        _galleries[name] = index;
        return faces;
    }

    private const int LoadBatch = 8192;

    private static void AddLoaded(GalleryIndex index, List<StoredFace> batch)
    {
        int n = batch.Count;
        var ids = new long[n];
        var vectors = new byte[n][];
        var entries = new FaceEntry[n];
        for (int i = 0; i < n; i++)
        {
            var f = batch[i];
            ids[i] = f.Id;
            vectors[i] = f.Vector;
            entries[i] = f.MetaJson == "{}" && f.FeaturesJson == "{}" && f.Subject is null ? FaceEntry.Empty
                : FaceEntry.Create(FaceJson.ParseMeta(f.MetaJson), FaceJson.ParseFeatures(f.FeaturesJson), f.Subject);
        }
        index.UpsertMany(ids, vectors, entries, n);
    }

    private Task Started(CancellationToken ct) => StartAsync(ct);

    private GalleryIndex IndexOf(string gallery)
    {
        GalleryNames.Check(gallery);
        return _galleries.TryGetValue(gallery, out var index) ? index
            : throw new GalleryException(ErrorCodes.GalleryNotFound, $"gallery '{gallery}' does not exist");
    }

    /// <summary>
    /// The index of a gallery (benchmarks, diagnostics); GALLERY_NOT_FOUND when missing. A caller that
    /// changes it directly must set <see cref="WritesIndexSnapshots"/> to false first: the store does not see such changes.
    /// </summary>
    public async Task<GalleryIndex> GetIndexAsync(string gallery, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        return IndexOf(gallery);
    }

    public async Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        return _galleries.Values.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => new GalleryInfo(g.Name, g.Count)).ToList();
    }

    public async Task CreateGalleryAsync(string gallery, CancellationToken ct = default)
    {
        GalleryNames.Check(gallery);
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_galleries.ContainsKey(gallery) || !await _store.CreateGalleryAsync(gallery, ct).ConfigureAwait(false))
                throw new GalleryException(ErrorCodes.Conflict, $"gallery '{gallery}' exists already");
            _subjects[gallery] = new SubjectRegistry();
            _galleries[gallery] = new GalleryIndex(gallery);
        }
        finally { _writeGate.Release(); }
    }

    /// <summary>Creates the gallery unless it exists (the compatible APIs' collections appear on first use).</summary>
    public async Task EnsureGalleryAsync(string gallery, CancellationToken ct = default)
    {
        GalleryNames.Check(gallery);
        await Started(ct).ConfigureAwait(false);
        if (_galleries.ContainsKey(gallery)) return;
        try { await CreateGalleryAsync(gallery, ct).ConfigureAwait(false); }
        catch (GalleryException e) when (e.Code == ErrorCodes.Conflict) { } // made meanwhile by another request
    }

    public async Task DropGalleryAsync(string gallery, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            IndexOf(gallery);
            await _store.DropGalleryAsync(gallery, ct).ConfigureAwait(false);
            _galleries.TryRemove(gallery, out _);
            _subjects.TryRemove(gallery, out _);
        }
        finally { _writeGate.Release(); }
    }

    /// <param name="enrollmentGate">Refuse a detection too poor to enroll (<see cref="EnrollmentGate"/>): what the
    /// HTTP API does unless the caller forces it; plugins adding camera faces pass false.</param>
    public async Task<Face> AddFaceAsync(string gallery, long? id, FaceSource source, IReadOnlyDictionary<string, MetaValue>? meta,
        int regenerateAttempts = 0, CancellationToken ct = default, bool enrollmentGate = false, string? subject = null, byte[]? thumbnail = null)
    {
        await Started(ct).ConfigureAwait(false);
        IndexOf(gallery);
        if (subject is not null) SubjectNames.Check(subject);
        if (regenerateAttempts < 0) throw RouterException.BadParam("regenerate_attempts", regenerateAttempts, "must be 0 or more");
        var metaCopy = CheckMeta(meta);
        var (vector, features) = await ResolveSourceAsync(source, "from", ct, enrollmentGate).ConfigureAwait(false);
        var entry = FaceEntry.Create(metaCopy, features, subject);
        var metaJson = FaceJson.Meta(metaCopy);
        var featuresJson = FaceJson.Features(features);
        var vectorBytes = FaceJson.VectorBytes(vector);

        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = IndexOf(gallery);
            for (int attempt = 0; ; attempt++)
            {
                long faceId = id ?? _ids.NextId();
                if (!index.Contains(faceId) &&
                    await _store.InsertFaceAsync(new StoredFace(gallery, faceId, metaJson, featuresJson, vectorBytes, subject, thumbnail), ct).ConfigureAwait(false))
                {
                    index.Upsert(faceId, vector, entry);
                    if (subject is not null) SubjectsOf(gallery).AddFace(subject);
                    return ToFace(gallery, faceId, entry, null);
                }
                if (id is not null || attempt >= regenerateAttempts)
                    throw new GalleryException(ErrorCodes.Conflict, $"face {faceId} exists already in gallery '{gallery}'");
            }
        }
        finally { _writeGate.Release(); }
    }

    /// <summary>Adds many faces with given ids and vectors in one store transaction (benchmarks and imports).</summary>
    public async Task ImportAsync(string gallery, IReadOnlyList<(long Id, float[] Vector)> faces, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = IndexOf(gallery);
            foreach (var f in faces)
                if (f.Vector.Length != VectorLayout.Dimension || index.Contains(f.Id))
                    throw RouterException.BadParam("faces", f.Id, "bad vector length or id taken");
            await _store.InsertFacesAsync(faces.Select(f => new StoredFace(gallery, f.Id, "{}", "{}", FaceJson.VectorBytes(f.Vector))).ToList(), ct).ConfigureAwait(false);
            foreach (var f in faces) index.Upsert(f.Id, f.Vector, FaceEntry.Empty);
        }
        finally { _writeGate.Release(); }
    }

    public async Task<Face> GetFaceAsync(string gallery, long id, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        var index = IndexOf(gallery);
        return index.TryGet(id, out var entry) ? ToFace(gallery, id, entry, null) : throw FaceNotFound(gallery, id);
    }

    /// <summary>The face's thumbnail (JPEG); NOT_FOUND when the face does not exist or has none.</summary>
    public async Task<byte[]> GetThumbnailAsync(string gallery, long id, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        if (!IndexOf(gallery).Contains(id)) throw FaceNotFound(gallery, id);
        return await _store.ReadThumbnailAsync(gallery, id, ct).ConfigureAwait(false)
            ?? throw new GalleryException(ErrorCodes.NotFound, $"face {id} of gallery '{gallery}' has no thumbnail");
    }

    public async Task<Face> UpdateFaceAsync(string gallery, long id, IReadOnlyDictionary<string, MetaValue?> meta, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        IndexOf(gallery);
        foreach (var key in meta.Keys)
            if (string.IsNullOrEmpty(key)) throw RouterException.BadParam("meta", key, "meta keys must be non-empty");
        // The update alone first (a 20 MB PATCH is refused before the write gate), then the merged result.
        _metaLimits.Check(meta.Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value!.Value, StringComparer.Ordinal));
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = IndexOf(gallery);
            if (!index.TryGet(id, out var entry)) throw FaceNotFound(gallery, id);
            var merged = new Dictionary<string, MetaValue>(entry.Meta, StringComparer.Ordinal);
            foreach (var (key, value) in meta)
                if (value is { } v) merged[key] = v;
            _metaLimits.Check(merged);
            if (!await _store.UpdateMetaAsync(gallery, id, FaceJson.Meta(merged), ct).ConfigureAwait(false)) throw FaceNotFound(gallery, id);
            var updated = FaceEntry.Create(merged, entry.Features, entry.Subject);
            index.UpdateEntry(id, updated);
            return ToFace(gallery, id, updated, null);
        }
        finally { _writeGate.Release(); }
    }

    public async Task DeleteFaceAsync(string gallery, long id, CancellationToken ct = default)
    {
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var index = IndexOf(gallery);
            if (!index.TryGet(id, out var entry)) throw FaceNotFound(gallery, id);
            await _store.DeleteFaceAsync(gallery, id, ct).ConfigureAwait(false);
            index.Remove(id);
            if (entry.Subject is not null) SubjectsOf(gallery).RemoveFace(entry.Subject);
        }
        finally { _writeGate.Release(); }
    }

    public async Task<ListResponse> ListAsync(string gallery, IEnumerable<Filter>? filters, int limit = DefaultLimit, string? sort = null,
        string? page = null, CancellationToken ct = default)
    {
        long started = Stopwatch.GetTimestamp();
        await Started(ct).ConfigureAwait(false);
        var index = IndexOf(gallery);
        var plan = await CompileAsync(filters ?? [], limit, sort, page, ct).ConfigureAwait(false);

        // The capacity grows only when the exact re-rank dropped so many near-threshold
        // candidates that a capped scan gave fewer than `limit` results.
        int capacity = plan.Query is null ? plan.Limit : plan.Limit + 64;
        while (true)
        {
            using var heap = new CandidateHeap(plan.Order, capacity);
            index.Scan(plan, heap);
            var items = heap.Memory;
            int kept = plan.Query is null ? items.Length : await RerankAsync(gallery, plan, items, ct).ConfigureAwait(false);
            if (kept < plan.Limit && heap.Capped && plan.Query is not null && capacity < int.MaxValue / 4)
            {
                capacity *= 4;
                continue;
            }
            var ordered = items.Span[..kept];
            SortExact(ordered, plan.Order);
            int count = Math.Min(kept, plan.Limit);
            var results = new List<Face>(count);
            for (int i = 0; i < count; i++)
                results.Add(ToFace(gallery, ordered[i].Id, ordered[i].Entry, plan.Query is null ? null : ordered[i].Exact));
            bool more = kept > plan.Limit || heap.Capped;
            string? next = more && count > 0
                ? new ListCursor(plan.Order, ordered[count - 1].Id, plan.Query is null ? 0 : ordered[count - 1].Exact).Encode()
                : null;
            _metrics?.SearchDone(gallery, started, plan.Query is null ? GalleryEngineMetrics.Listing : GalleryEngineMetrics.Similarity);
            return new ListResponse(results, next);
        }
    }

    /// <summary>Replaces approximate scores by exact cosine similarities, dropping those below the threshold or not after the cursor; returns how many are left (moved to the front).</summary>
    private async Task<int> RerankAsync(string gallery, ListPlan plan, Memory<Candidate> candidatesMemory, CancellationToken ct)
    {
        var ids = new long[candidatesMemory.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = candidatesMemory.Span[i].Id;
        Dictionary<long, byte[]>? vectors;
        try { vectors = await _store.ReadVectorsAsync(gallery, ids, ct).ConfigureAwait(false); }
        catch (GalleryException e) when (e.Code == ErrorCodes.StorageError)
        {
            // The store is away (a PostgreSQL restart): answer from the index's int8 scores (within about 1e-3
            // of the exact ones) rather than fail every search; writes still fail until the store is back.
            if (Interlocked.Exchange(ref _approximateAnswers, 1) == 0)
                _log.LogWarning("The face store failed while re-ranking ({Reason}): searches answer with approximate scores until it is back", e.Reason);
            return ApproximateRerank(plan, candidatesMemory.Span);
        }
        Interlocked.Exchange(ref _approximateAnswers, 0);
        var candidates = candidatesMemory.Span;
        int kept = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            if (!vectors.TryGetValue(candidates[i].Id, out var bytes)) continue; // deleted meanwhile
            double exact = TensorPrimitives.CosineSimilarity(plan.Query!, FaceJson.Vector(bytes));
            if (!Keeps(plan, exact, candidates[i].Id)) continue;
            candidates[i].Exact = exact;
            candidates[kept++] = candidates[i];
        }
        return kept;
    }

    private int _approximateAnswers;

    /// <summary>Whether a candidate with this score is at or above the threshold and after the cursor.</summary>
    private static bool Keeps(ListPlan plan, double score, long id) =>
        score >= plan.Threshold &&
        (plan.After is not { Order: ListOrder.ConfidenceDescending } a || score < a.Confidence || (score == a.Confidence && id > a.Id));

    /// <summary>The re-rank without exact vectors: the approximate score stands in for the exact one.</summary>
    private static int ApproximateRerank(ListPlan plan, Span<Candidate> candidates)
    {
        int kept = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            double score = candidates[i].Approx;
            if (!Keeps(plan, score, candidates[i].Id)) continue;
            candidates[i].Exact = score;
            candidates[kept++] = candidates[i];
        }
        return kept;
    }

    private static void SortExact(Span<Candidate> items, ListOrder order)
    {
        switch (order)
        {
            case ListOrder.IdAscending: items.Sort((a, b) => a.Id.CompareTo(b.Id)); break;
            case ListOrder.IdDescending: items.Sort((a, b) => b.Id.CompareTo(a.Id)); break;
            default: items.Sort((a, b) => a.Exact != b.Exact ? b.Exact.CompareTo(a.Exact) : a.Id.CompareTo(b.Id)); break;
        }
    }

    private async Task<ListPlan> CompileAsync(IEnumerable<Filter> filters, int limit, string? sort, string? page, CancellationToken ct,
        bool withSubjectOnly = false)
    {
        if (limit < 1 || limit > MaxLimit) throw RouterException.BadParam("limit", limit, $"limit must be 1..{MaxLimit}");
        long idMin = long.MinValue, idMax = long.MaxValue;
        HashSet<long>? idSet = null;
        var meta = new List<MetaCondition>();
        HashSet<string>? subjects = null;
        float[]? query = null;
        double threshold = 0;
        foreach (var filter in filters)
        {
            switch (filter)
            {
                case IdFilter f:
                    if (f.Values.Count == 0) throw RouterException.BadParam("id", "", "an id filter needs at least one value");
                    if (f.Op == FilterOp.Gte) idMin = Math.Max(idMin, f.Values.Max());
                    else if (f.Op == FilterOp.Lte) idMax = Math.Min(idMax, f.Values.Min());
                    else if (f.Op == FilterOp.OneOf) { if (idSet is null) idSet = [.. f.Values]; else idSet.IntersectWith(f.Values); }
                    else throw RouterException.BadParam("id", f.Op, "id filters are lte, gte or oneof");
                    break;
                case MetaFilter f:
                    meta.Add(new MetaCondition(f));
                    break;
                case SubjectFilter f:
                    if (f.Subjects.Count == 0) throw RouterException.BadParam("subject", "", "a subject filter needs at least one name");
                    if (subjects is null) subjects = new HashSet<string>(f.Subjects, StringComparer.Ordinal);
                    else subjects.IntersectWith(f.Subjects);
                    break;
                case VectorFilter f:
                    if (query is not null) throw RouterException.BadParam("looks_like", "vector", "only one Detection, Face or vector filter per listing");
                    threshold = CheckThreshold(f.Threshold);
                    query = f.Vector.Length == VectorLayout.Dimension ? Normalized(f.Vector)
                        : throw RouterException.BadParam("embedding", f.Vector.Length, $"an embedding has {VectorLayout.Dimension} numbers");
                    break;
                case DetectionFilter f:
                    if (query is not null) throw RouterException.BadParam("looks_like", f.DetectionId, "only one Detection or Face filter per listing");
                    threshold = CheckThreshold(f.Threshold);
                    (query, _) = await ResolveSourceAsync(new DetectionSource(f.DetectionId), "looks_like", ct).ConfigureAwait(false);
                    break;
                case FaceFilter f:
                    if (query is not null) throw RouterException.BadParam("looks_like", f.Face.ToString(), "only one Detection or Face filter per listing");
                    threshold = CheckThreshold(f.Threshold);
                    (query, _) = await ResolveSourceAsync(new StoredFaceSource(f.Face), "looks_like", ct).ConfigureAwait(false);
                    break;
                case null:
                    throw RouterException.BadParam("filters", null, "a filter is null");
                default:
                    throw RouterException.BadParam("filters", filter.GetType().Name, "unknown filter");
            }
        }
        var order = string.IsNullOrEmpty(sort)
            ? (query is null ? ListOrder.IdAscending : ListOrder.ConfidenceDescending)
            : sort switch
            {
                ListSort.IdAscending => ListOrder.IdAscending,
                ListSort.IdDescending => ListOrder.IdDescending,
                ListSort.ConfidenceDescending when query is not null => ListOrder.ConfidenceDescending,
                ListSort.ConfidenceDescending => throw RouterException.BadParam("sort", sort, "-confidence needs a Detection or Face filter"),
                _ => throw RouterException.BadParam("sort", sort, "sort is id, -id or -confidence"),
            };
        return new ListPlan
        {
            IdMin = idMin, IdMax = idMax, IdSet = idSet, Meta = meta, Subjects = subjects, WithSubjectOnly = withSubjectOnly, Query = query, Threshold = threshold,
            Order = order, Limit = limit, After = string.IsNullOrEmpty(page) ? null : ListCursor.Decode(page, order),
        };
    }

    /// <summary>A unit-length copy: a caller's embedding may not be normalised, and the index's cosine assumes it is.</summary>
    private static float[] Normalized(float[] vector)
    {
        var copy = (float[])vector.Clone();
        float norm = TensorPrimitives.Norm(copy);
        if (!float.IsFinite(norm) || norm == 0) throw RouterException.BadParam("embedding", null, "an embedding must be finite and not all zeros");
        TensorPrimitives.Divide(copy, norm, copy);
        return copy;
    }

    private static double CheckThreshold(double threshold) =>
        double.IsFinite(threshold) && threshold is >= 0 and <= 1 ? threshold
            : throw RouterException.BadParam("threshold", threshold, "threshold must be within 0..1");

    /// <summary>The exact vector and features of an add source or a similarity filter.</summary>
    private async Task<(float[] Vector, FaceAttributes Features)> ResolveSourceAsync(FaceSource source, string param, CancellationToken ct,
        bool enrollmentGate = false)
    {
        switch (source)
        {
            case DetectionSource d:
                var det = await CacheGuard(() => Detections.GetAsync(d.DetectionId, ct)).ConfigureAwait(false);
                if (det?.Facen is not { Length: VectorLayout.Dimension } facen)
                    throw new GalleryException(ErrorCodes.SourceNotFound, $"detection '{d.DetectionId}' is unknown or expired", param, source.ToString());
                if (enrollmentGate && EnrollmentGate.Refusal(det) is { } refusal)
                    throw new GalleryException(ErrorCodes.EnrollmentRefused, refusal, param, source.ToString());
                return (facen, det.Features);
            case StoredFaceSource s:
                if (!_galleries.TryGetValue(s.Face.Gallery, out var index))
                    throw new GalleryException(ErrorCodes.SourceGalleryNotFound, $"gallery '{s.Face.Gallery}' does not exist", param, source.ToString());
                if (!index.TryGet(s.Face.Face, out var entry))
                    throw new GalleryException(ErrorCodes.SourceNotFound, $"face {s.Face} does not exist", param, source.ToString());
                var vectors = await _store.ReadVectorsAsync(s.Face.Gallery, [s.Face.Face], ct).ConfigureAwait(false);
                if (!vectors.TryGetValue(s.Face.Face, out var bytes))
                    throw new GalleryException(ErrorCodes.SourceNotFound, $"face {s.Face} does not exist", param, source.ToString());
                return (FaceJson.Vector(bytes).ToArray(), entry.Features);
            default:
                throw RouterException.BadParam(param, source?.ToString(), "expected 'detection:<id>' or 'face:<gallery>/<id>'");
        }
    }

    private static async Task<DetectFace?> CacheGuard(Func<ValueTask<DetectFace?>> get)
    {
        try { return await get().ConfigureAwait(false); }
        catch (Exception e) when (e is not RouterException and not OperationCanceledException)
        {
            throw new GalleryException(ErrorCodes.CacheError, "the detection cache failed: " + e.Message, inner: e);
        }
    }

    private Dictionary<string, MetaValue> CheckMeta(IReadOnlyDictionary<string, MetaValue>? meta)
    {
        var copy = new Dictionary<string, MetaValue>(StringComparer.Ordinal);
        if (meta is null) return copy;
        foreach (var (key, value) in meta) copy[key] = value;
        _metaLimits.Check(copy);
        return copy;
    }

    private static GalleryException FaceNotFound(string gallery, long id) =>
        new(ErrorCodes.NotFound, $"face {id} does not exist in gallery '{gallery}'");

    private static Face ToFace(string gallery, long id, FaceEntry entry, double? confidence) => new()
    {
        Id = new FaceId(gallery, id),
        Subject = entry.Subject,
        Meta = entry.Meta,
        Features = entry.Features,
        Confidence = confidence,
    };

    public async ValueTask DisposeAsync()
    {
        await StopFollowingAsync().ConfigureAwait(false);
        await StopSnapshotLoopAsync().ConfigureAwait(false);
        await SaveSnapshotAtDisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
    }
}
