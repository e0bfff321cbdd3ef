using System.Collections.Concurrent;
using System.Globalization;
using Router.Abstractions;
using Router.Host.Routing;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// A small but working in-memory gallery engine for plugin tests until the real one (branch
/// galleries) is merged: exact cosine search over stored embeddings, Id/Meta filters, a
/// detection cache (it is also the router's <see cref="IDetectionStore"/>), sfapi error codes.
/// </summary>
public sealed class InMemoryGalleryClient : IGalleryClient, IDetectionStore
{
    private readonly ConcurrentDictionary<string, DetectFace> _detections = new();
    private readonly ConcurrentDictionary<string, MemoryGallery> _galleries = new(StringComparer.Ordinal);
    private long _nextDetection;

    public ValueTask<string> StoreAsync(DetectFace detection, CancellationToken ct)
    {
        if (detection.Facen is null) throw new RouterException(ErrorCodes.BadParam, "no embedding", "facen");
        var id = "d" + Interlocked.Increment(ref _nextDetection).ToString(CultureInfo.InvariantCulture);
        _detections[id] = detection with { Id = id };
        return ValueTask.FromResult(id);
    }

    public Task<DetectResponse> DetectAsync(ReadOnlyMemory<byte> image, FaceFeatures features = FaceFeatures.None, bool returnFacen = false, CancellationToken ct = default) =>
        throw new RouterException(ErrorCodes.NotImplemented, "the in-memory test gallery does not detect");

    public Task<DetectFace> GetDetectionAsync(string detectionId, CancellationToken ct = default) =>
        _detections.TryGetValue(detectionId, out var d) ? Task.FromResult(d)
            : throw new GalleryException(ErrorCodes.NotFound, $"detection {detectionId} not found");

    public IGallery Gallery(string name) => new GalleryProxy(this, name);

    public Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<GalleryInfo>>(_galleries.Select(g => new GalleryInfo(g.Key, g.Value.Faces.Count)).ToList());

    /// <summary>Adds a face with this embedding directly (test set-up).</summary>
    public long Enroll(string gallery, float[] embedding, IReadOnlyDictionary<string, MetaValue>? meta = null)
    {
        var g = _galleries.GetOrAdd(gallery, _ => new MemoryGallery());
        var id = g.Faces.Count + 1000L;
        g.Faces[id] = (embedding, new Dictionary<string, MetaValue>(meta ?? new Dictionary<string, MetaValue>()));
        return id;
    }

    public int Count(string gallery) => _galleries.TryGetValue(gallery, out var g) ? g.Faces.Count : 0;

    private sealed class MemoryGallery
    {
        public readonly ConcurrentDictionary<long, (float[] Vector, Dictionary<string, MetaValue> Meta)> Faces = new();
    }

    private float[] VectorOf(FaceSource source) => source switch
    {
        DetectionSource d => _detections.TryGetValue(d.DetectionId, out var det) ? det.Facen!
            : throw new GalleryException(ErrorCodes.SourceNotFound, $"detection {d.DetectionId} not found"),
        StoredFaceSource f => _galleries.TryGetValue(f.Face.Gallery, out var g)
            ? g.Faces.TryGetValue(f.Face.Face, out var face) ? face.Vector : throw new GalleryException(ErrorCodes.SourceNotFound, $"face {f.Face} not found")
            : throw new GalleryException(ErrorCodes.SourceGalleryNotFound, $"gallery {f.Face.Gallery} not found"),
        _ => throw new GalleryException(ErrorCodes.BadParam, "unknown source"),
    };

    private sealed class GalleryProxy(InMemoryGalleryClient client, string name) : IGallery
    {
        public string Name => name;

        private MemoryGallery G => client._galleries.TryGetValue(name, out var g) ? g
            : throw new GalleryException(ErrorCodes.GalleryNotFound, $"gallery {name} not found");

        public Task<ListResponse> ListAsync(IEnumerable<Filter>? filters = null, int limit = 1000, string? sort = null, string? page = null,
            bool ignoreErrors = false, CancellationToken ct = default)
        {
            var g = G;
            var list = filters?.ToList() ?? [];
            var results = new List<Face>();
            foreach (var (id, face) in g.Faces)
            {
                double? confidence = null;
                bool ok = true;
                foreach (var f in list)
                {
                    switch (f)
                    {
                        case DetectionFilter d:
                            var c = Cosine(client.VectorOf(FaceSource.FromDetection(d.DetectionId)), face.Vector);
                            ok &= c >= d.Threshold; confidence = c; break;
                        case FaceFilter ff:
                            var c2 = Cosine(client.VectorOf(FaceSource.FromFace(ff.Face)), face.Vector);
                            ok &= c2 >= ff.Threshold; confidence = c2; break;
                        case IdFilter idf:
                            ok &= idf.Op switch
                            {
                                FilterOp.Lte => id <= idf.Values[0],
                                FilterOp.Gte => id >= idf.Values[0],
                                _ => idf.Values.Contains(id),
                            };
                            break;
                        case MetaFilter m:
                            ok &= face.Meta.TryGetValue(m.Key, out var v) && m.Op switch
                            {
                                FilterOp.OneOf => m.Values.Contains(v),
                                FilterOp.Gte => Compare(v, m.Values[0]) >= 0,
                                FilterOp.Lte => Compare(v, m.Values[0]) <= 0,
                                _ => m.Values.All(x => v.AsList.Contains(x.AsString)),
                            };
                            break;
                    }
                }
                if (ok) results.Add(new Face { Id = new FaceId(name, id), Meta = face.Meta.ToDictionary(), Confidence = confidence });
            }
            var sorted = results.Any(r => r.Confidence is not null)
                ? results.OrderByDescending(r => r.Confidence) : results.OrderBy(r => r.Id.Face);
            return Task.FromResult(new ListResponse(sorted.Take(limit).ToList(), null));
        }

        public Task<Face> AddAsync(long? newId, FaceSource source, IReadOnlyDictionary<string, MetaValue>? meta = null, int regenerateAttempts = 0,
            CancellationToken ct = default)
        {
            var g = G;
            var id = newId ?? Random.Shared.NextInt64(1, long.MaxValue);
            var vector = client.VectorOf(source);
            if (!g.Faces.TryAdd(id, (vector, new Dictionary<string, MetaValue>(meta ?? new Dictionary<string, MetaValue>()))))
                throw new GalleryException(ErrorCodes.Conflict, $"face {id} exists in {name}");
            return GetAsync(id, ct);
        }

        public Task<Face> GetAsync(long id, CancellationToken ct = default) =>
            G.Faces.TryGetValue(id, out var f) ? Task.FromResult(new Face { Id = new FaceId(name, id), Meta = f.Meta.ToDictionary() })
                : throw new GalleryException(ErrorCodes.NotFound, $"face {id} not found in {name}");

        public Task<Face> UpdateAsync(long id, IReadOnlyDictionary<string, MetaValue?> meta, CancellationToken ct = default)
        {
            if (!G.Faces.TryGetValue(id, out var f)) throw new GalleryException(ErrorCodes.NotFound, $"face {id} not found in {name}");
            lock (f.Meta)
                foreach (var (k, v) in meta)
                    if (v is { } value) f.Meta[k] = value;
            return GetAsync(id, ct);
        }

        public Task DeleteAsync(long id, CancellationToken ct = default) =>
            G.Faces.TryRemove(id, out _) ? Task.CompletedTask : throw new GalleryException(ErrorCodes.NotFound, $"face {id} not found");

        public Task CreateAsync(CancellationToken ct = default) =>
            client._galleries.TryAdd(name, new MemoryGallery()) ? Task.CompletedTask
                : throw new GalleryException(ErrorCodes.Conflict, $"gallery {name} exists");

        public Task DropAsync(CancellationToken ct = default) =>
            client._galleries.TryRemove(name, out _) ? Task.CompletedTask
                : throw new GalleryException(ErrorCodes.GalleryNotFound, $"gallery {name} not found");

        private static int Compare(MetaValue a, MetaValue b) =>
            a.Kind == MetaKind.Int ? a.AsInt.CompareTo(b.AsInt) : string.CompareOrdinal(a.ToString(), b.ToString());

        private static double Cosine(float[] a, float[] b)
        {
            double dot = 0;
            for (int i = 0; i < a.Length; i++) dot += a[i] * b[i];
            return dot;
        }
    }
}
