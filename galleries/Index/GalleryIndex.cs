using System.Runtime.InteropServices;
using Router.Galleries.Query;

namespace Router.Galleries.Index;

/// <summary>
/// The in-memory face index of one gallery. Each face costs 512 int8 codes, a 64-byte sign
/// code (<see cref="SignCodes"/>), a float scale, its id and a bucket of the id table (about
/// 595 bytes), and a reference to its <see cref="FaceEntry"/> where a face of its chunk has
/// meta, features or a subject; the exact float vectors stay in the store and are read back
/// only to re-rank the few candidates a search returns. Every per-face array lives in 64K-face
/// chunks, so growth never copies and never leaves a doubled array half empty. A scan evaluates id,
/// meta, cursor and similarity of every face in one pass; a similarity search of a large
/// gallery first ranks the sign codes on every core and scores only the best of them with
/// the int8 codes (GalleryIndex.Approximate.cs).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "a dropped gallery's index may still be scanned by a search in flight; the lock holds no handle until contended, and the GC releases it")]
public sealed partial class GalleryIndex
{
    /// <summary>
    /// Bound on |approximate − exact| cosine for unit vectors with per-vector int8 codes
    /// (measured errors are ~1e-3): candidates within it of a threshold or cursor are kept
    /// for the exact re-rank.
    /// </summary>
    public const float ApproxMargin = 0.02f;

    internal const int ChunkShift = 16;
    internal const int ChunkFaces = 1 << ChunkShift;
    private const int ChunkMask = ChunkFaces - 1;
    private const int Dim = VectorLayout.Dimension;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<sbyte[]> _chunks = [];
    private readonly List<ulong[]> _signChunks = [];
    private readonly List<long[]> _idChunks = [];
    private readonly List<float[]> _scaleChunks = [];
    // Null where no face of the chunk has an entry other than FaceEntry.Empty (null in a chunk
    // means Empty too): a plain gallery of ten million faces saves 80 MB of references.
    private readonly List<FaceEntry?[]?> _entryChunks = [];
    private SlotTable _slots = new();
    private int _count;

    public GalleryIndex(string name) => Name = name;

    public string Name { get; }

    public int Count
    {
        get { _lock.EnterReadLock(); try { return _count; } finally { _lock.ExitReadLock(); } }
    }

    public bool Contains(long id)
    {
        _lock.EnterReadLock();
        try { return _slots.Find(id, _idChunks) >= 0; } finally { _lock.ExitReadLock(); }
    }

    public bool TryGet(long id, out FaceEntry entry)
    {
        _lock.EnterReadLock();
        try
        {
            int slot = _slots.Find(id, _idChunks);
            if (slot >= 0) { entry = EntryAt(slot); return true; }
            entry = FaceEntry.Empty;
            return false;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Adds or replaces a face.</summary>
    public void Upsert(long id, ReadOnlySpan<float> vector, FaceEntry entry)
    {
        if (vector.Length != Dim) throw new ArgumentException($"vectors have {Dim} dimensions, not {vector.Length}", nameof(vector));
        Span<sbyte> codes = stackalloc sbyte[Dim];
        float scale = Int8Quantizer.Quantize(vector, codes);
        Span<ulong> sign = stackalloc ulong[SignCodes.Words];
        SignCodes.Encode(vector, sign);
        _lock.EnterWriteLock();
        try
        {
            int slot = SlotFor(id);
            _scaleChunks[slot >> ChunkShift][slot & ChunkMask] = scale;
            SetEntry(slot, entry);
            codes.CopyTo(CodesOf(slot));
            WriteSign(slot, sign);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>
    /// Adds or replaces <paramref name="count"/> faces at once (loading a gallery): the codes
    /// are computed on every core outside the lock, then written under one write lock.
    /// <paramref name="vectors"/> hold 512 little-endian floats each, as stored.
    /// </summary>
    public void UpsertMany(long[] ids, byte[][] vectors, FaceEntry[] entries, int count)
    {
        for (int i = 0; i < count; i++)
            if (vectors[i].Length != VectorLayout.BytesPerVector)
                throw new ArgumentException($"vectors have {Dim} dimensions, not {vectors[i].Length / sizeof(float)}", nameof(vectors));
        // Plain arrays, not pooled: the pool would keep a set per loading thread for the life of the process.
        var codes = new sbyte[count * Dim];
        var signs = new ulong[count * SignCodes.Words];
        var scales = new float[count];
        {
            Parallel.For(0, (count + 255) / 256, block =>
            {
                for (int i = block * 256; i < Math.Min(count, block * 256 + 256); i++)
                {
                    var vector = MemoryMarshal.Cast<byte, float>(vectors[i].AsSpan());
                    scales[i] = Int8Quantizer.Quantize(vector, codes.AsSpan(i * Dim, Dim));
                    SignCodes.Encode(vector, signs.AsSpan(i * SignCodes.Words, SignCodes.Words));
                }
            });
            _lock.EnterWriteLock();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    long id = ids[i];
                    int slot = SlotFor(id);
                    _scaleChunks[slot >> ChunkShift][slot & ChunkMask] = scales[i];
                    SetEntry(slot, entries[i]);
                    codes.AsSpan(i * Dim, Dim).CopyTo(CodesOf(slot));
                    WriteSign(slot, signs.AsSpan(i * SignCodes.Words, SignCodes.Words));
                }
            }
            finally { _lock.ExitWriteLock(); }
        }
    }

    public bool UpdateEntry(long id, FaceEntry entry)
    {
        _lock.EnterWriteLock();
        try
        {
            int slot = _slots.Find(id, _idChunks);
            if (slot < 0) return false;
            SetEntry(slot, entry);
            return true;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>The ids of every face whose entry satisfies <paramref name="predicate"/> (subject renames and deletes).</summary>
    public List<long> IdsWhere(Func<FaceEntry, bool> predicate)
    {
        _lock.EnterReadLock();
        try
        {
            var ids = new List<long>();
            for (int slot = 0; slot < _count; slot++)
                if (predicate(EntryAt(slot))) ids.Add(IdAt(slot));
            return ids;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>How many faces each subject has, in one pass under one lock (loading and reloading a gallery's subjects).</summary>
    public Dictionary<string, int> CountBySubject()
    {
        _lock.EnterReadLock();
        try
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int slot = 0; slot < _count; slot++)
                if (EntryAt(slot).Subject is { } subject) counts[subject] = counts.GetValueOrDefault(subject) + 1;
            return counts;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Removes a face by moving the last face into its slot.</summary>
    public bool Remove(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            int slot = _slots.Remove(id, _idChunks);
            if (slot < 0) return false;
            int last = --_count;
            if (slot != last)
            {
                long moved = IdAt(last);
                _idChunks[slot >> ChunkShift][slot & ChunkMask] = moved;
                _scaleChunks[slot >> ChunkShift][slot & ChunkMask] = _scaleChunks[last >> ChunkShift][last & ChunkMask];
                SetEntry(slot, EntryAt(last));
                CodesOf(last).CopyTo(CodesOf(slot));
                MoveSign(last, slot);
                _slots.Move(moved, slot, _idChunks);
            }
            SetEntry(last, FaceEntry.Empty);
            return true;
        }
        finally { _lock.ExitWriteLock(); }
    }

    private Span<sbyte> CodesOf(int slot) => _chunks[slot >> ChunkShift].AsSpan((slot & ChunkMask) * Dim, Dim);

    private long IdAt(int slot) => _idChunks[slot >> ChunkShift][slot & ChunkMask];

    private float ScaleAt(int slot) => _scaleChunks[slot >> ChunkShift][slot & ChunkMask];

    private FaceEntry EntryAt(int slot) => _entryChunks[slot >> ChunkShift]?[slot & ChunkMask] ?? FaceEntry.Empty;

    private void SetEntry(int slot, FaceEntry entry)
    {
        bool empty = ReferenceEquals(entry, FaceEntry.Empty);
        var chunk = _entryChunks[slot >> ChunkShift];
        if (chunk is null)
        {
            if (empty) return;
            _entryChunks[slot >> ChunkShift] = chunk = new FaceEntry?[ChunkFaces];
        }
        chunk[slot & ChunkMask] = empty ? null : entry;
    }

    // Sign codes are stored in blocks of four faces, word-interleaved (word w of face f at
    // block + 4w + f), so that one 256-bit load holds the same word of four faces and the
    // first stage's AVX2 kernel gets four distances without a horizontal sum.
    private const int SignBlock = 4;

    private static int SignIndex(int slot, int word) =>
        ((slot & (ChunkFaces - 1)) & ~(SignBlock - 1)) * SignCodes.Words + word * SignBlock + (slot & (SignBlock - 1));

    private void WriteSign(int slot, ReadOnlySpan<ulong> code)
    {
        var chunk = _signChunks[slot >> ChunkShift];
        for (int w = 0; w < SignCodes.Words; w++) chunk[SignIndex(slot, w)] = code[w];
    }

    private void MoveSign(int from, int to)
    {
        var source = _signChunks[from >> ChunkShift];
        var target = _signChunks[to >> ChunkShift];
        for (int w = 0; w < SignCodes.Words; w++) target[SignIndex(to, w)] = source[SignIndex(from, w)];
    }

    /// <summary>The slot of <paramref name="id"/>, a new one at the end when it has none; under the write lock.</summary>
    private int SlotFor(long id)
    {
        int slot = _slots.Find(id, _idChunks);
        if (slot >= 0) return slot;
        slot = _count;
        EnsureCapacity(slot + 1);
        _idChunks[slot >> ChunkShift][slot & ChunkMask] = id;
        _slots.Add(id, slot, _idChunks);
        _count++;
        return slot;
    }

    private void EnsureCapacity(int faces)
    {
        while (_chunks.Count * ChunkFaces < faces)
        {
            _chunks.Add(new sbyte[ChunkFaces * Dim]);
            _signChunks.Add(new ulong[ChunkFaces * SignCodes.Words]);
            _idChunks.Add(new long[ChunkFaces]);
            _scaleChunks.Add(new float[ChunkFaces]);
            _entryChunks.Add(null);
        }
    }

    /// <summary>
    /// One pass over every face: id range/set, cursor, meta and (with a query) approximate
    /// similarity ≥ threshold − margin. Survivors go to <paramref name="heap"/>, which keeps
    /// the best of them for the plan's order.
    /// </summary>
    public void Scan(ListPlan plan, CandidateHeap heap)
    {
        Span<sbyte> queryCodes = stackalloc sbyte[Dim];
        float queryScale = 0;
        bool vector = plan.Query is not null;
        if (vector) queryScale = Int8Quantizer.Quantize(plan.Query, queryCodes);
        ref sbyte q = ref MemoryMarshal.GetReference(queryCodes);
        float minApprox = (float)plan.Threshold - ApproxMargin;
        var after = plan.After;
        float maxApprox = after is { Order: ListOrder.ConfidenceDescending } c ? (float)c.Confidence + ApproxMargin : float.PositiveInfinity;
        var meta = plan.Meta;

        _lock.EnterReadLock();
        try
        {
            if (TakesTwoStages(plan, heap, out int candidates))
            {
                ScanTwoStages(plan, heap, candidates, ref q, queryScale, minApprox);
                return;
            }
            for (int start = 0; start < _count; start += ChunkFaces)
            {
                int chunk = start >> ChunkShift, faces = Math.Min(ChunkFaces, _count - start);
                var ids = _idChunks[chunk];
                var scales = _scaleChunks[chunk];
                var entries = _entryChunks[chunk];
                var codeChunk = _chunks[chunk];
                for (int i = 0; i < faces; i++)
                {
                    long id = ids[i];
                    if (id < plan.IdMin || id > plan.IdMax) continue;
                    if (plan.IdSet is not null && !plan.IdSet.Contains(id)) continue;
                    if (after is { } a)
                    {
                        if (a.Order == ListOrder.IdAscending && id <= a.Id) continue;
                        if (a.Order == ListOrder.IdDescending && id >= a.Id) continue;
                    }
                    float approx = 0;
                    if (vector)
                    {
                        ref sbyte codes = ref codeChunk[i * Dim];
                        approx = Int8Dot.Dot(ref codes, ref q, Dim) * scales[i] * queryScale;
                        if (approx < minApprox || approx > maxApprox) continue;
                    }
                    var entry = entries?[i] ?? FaceEntry.Empty;
                    if (plan.WithSubjectOnly && entry.Subject is null) continue;
                    if (plan.Subjects is not null && (entry.Subject is null || !plan.Subjects.Contains(entry.Subject))) continue;
                    bool pass = true;
                    for (int m = 0; m < meta.Count && pass; m++) pass = meta[m].Matches(entry.Meta);
                    if (!pass) continue;
                    heap.Offer(id, approx, entry);
                }
            }
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Every face's int8 codes (<c>ids.Length × 512</c>), scales and ids, chunk by chunk (up to 65,536
    /// faces each), under the read lock: for scans written outside the index, such as the benchmarks'
    /// shared batch scan (bench/Router.Bench). The spans are valid only during the call.
    /// </summary>
    public void ReadCodes(CodeChunkAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _lock.EnterReadLock();
        try
        {
            for (int start = 0; start < _count; start += ChunkFaces)
            {
                int faces = Math.Min(ChunkFaces, _count - start);
                int c = start >> ChunkShift;
                action(_chunks[c].AsSpan(0, faces * Dim), _scaleChunks[c].AsSpan(0, faces), _idChunks[c].AsSpan(0, faces));
            }
        }
        finally { _lock.ExitReadLock(); }
    }
}
