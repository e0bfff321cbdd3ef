namespace Router.Galleries.Index;

/// <summary>
/// Face id → slot of a <see cref="GalleryIndex"/>: open addressing with linear probing over
/// one int per bucket (slot + 1, 0 = empty), the id itself read from the index's id chunks.
/// About 7 bytes a face at 10 M faces, where a Dictionary&lt;long, int&gt; takes about 35
/// (24-byte entries, a bucket array and doubling growth): that difference pays for most of
/// the first stage's sign codes. Not thread-safe; the index's lock guards it.
/// </summary>
internal sealed class SlotTable
{
    private int[] _buckets = new int[16];
    private int _shift = 64 - 4;
    private int _count;

    public int Count => _count;

    /// <summary>The buckets as they are (index snapshots write them in bulk).</summary>
    internal ReadOnlySpan<int> Buckets => _buckets;

    /// <summary>
    /// A table read back from a snapshot: <paramref name="buckets"/> as <see cref="Buckets"/> gave
    /// them for <paramref name="count"/> ids. Checks only what keeps lookups terminating and in bounds.
    /// </summary>
    internal static SlotTable Restore(int[] buckets, int count)
    {
        if (buckets.Length < 16 || (buckets.Length & (buckets.Length - 1)) != 0 || count * 4L > buckets.Length * 3L)
            throw new InvalidDataException($"a slot table of {buckets.Length} buckets cannot hold {count} ids");
        int used = 0;
        foreach (int v in buckets)
        {
            if (v < 0 || v > count) throw new InvalidDataException("a slot table bucket points past the faces");
            if (v != 0) used++;
        }
        if (used != count) throw new InvalidDataException($"the slot table holds {used} ids, not {count}");
        return new SlotTable { _buckets = buckets, _shift = 64 - System.Numerics.BitOperations.Log2((uint)buckets.Length), _count = count };
    }

    private static long IdAt(List<long[]> ids, int slot) => ids[slot >> GalleryIndex.ChunkShift][slot & (GalleryIndex.ChunkFaces - 1)];

    private int Home(long id) => (int)(((ulong)id * 0x9E3779B97F4A7C15UL) >> _shift);

    /// <summary>The slot of <paramref name="id"/>, or -1.</summary>
    public int Find(long id, List<long[]> ids)
    {
        int mask = _buckets.Length - 1;
        for (int b = Home(id); ; b = (b + 1) & mask)
        {
            int v = _buckets[b];
            if (v == 0) return -1;
            if (IdAt(ids, v - 1) == id) return v - 1;
        }
    }

    /// <summary>Adds an id that is not in the table (its slot already holds it in <paramref name="ids"/>).</summary>
    public void Add(long id, int slot, List<long[]> ids)
    {
        if ((_count + 1) * 4L > _buckets.Length * 3L) Grow(ids);
        Place(id, slot + 1);
        _count++;
    }

    /// <summary>Points an id that is in the table at a new slot (the last face moved into a freed one).</summary>
    public void Move(long id, int slot, List<long[]> ids)
    {
        int mask = _buckets.Length - 1;
        for (int b = Home(id); ; b = (b + 1) & mask)
        {
            int v = _buckets[b];
            if (v == 0) throw new InvalidOperationException("id not in the slot table");
            if (IdAt(ids, v - 1) == id) { _buckets[b] = slot + 1; return; }
        }
    }

    /// <summary>Removes an id; returns its slot or -1. Later entries of its probe run shift back, so no tombstones build up.</summary>
    public int Remove(long id, List<long[]> ids)
    {
        int mask = _buckets.Length - 1;
        int b = Home(id);
        while (true)
        {
            int v = _buckets[b];
            if (v == 0) return -1;
            if (IdAt(ids, v - 1) == id) break;
            b = (b + 1) & mask;
        }
        int slot = _buckets[b] - 1;
        int hole = b;
        for (int j = (hole + 1) & mask; _buckets[j] != 0; j = (j + 1) & mask)
        {
            int home = Home(IdAt(ids, _buckets[j] - 1));
            // Move j into the hole unless its home lies cyclically in (hole, j].
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                _buckets[hole] = _buckets[j];
                hole = j;
            }
        }
        _buckets[hole] = 0;
        _count--;
        return slot;
    }

    private void Place(long id, int value)
    {
        int mask = _buckets.Length - 1;
        int b = Home(id);
        while (_buckets[b] != 0) b = (b + 1) & mask;
        _buckets[b] = value;
    }

    private void Grow(List<long[]> ids)
    {
        var old = _buckets;
        _buckets = new int[old.Length * 2];
        _shift--;
        foreach (int v in old)
            if (v != 0) Place(IdAt(ids, v - 1), v);
    }
}
