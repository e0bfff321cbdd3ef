using System.Buffers;
using Router.Galleries.Query;

namespace Router.Galleries.Index;

/// <summary>
/// Keeps the best <c>capacity</c> candidates of a scan in a pooled array (root = worst), so
/// that a scan of any size allocates nothing. <see cref="Capped"/> records that at least one
/// matching candidate was turned away, i.e. that more results exist beyond these.
/// </summary>
public sealed class CandidateHeap : IDisposable
{
    private readonly ListOrder _order;
    private Candidate[] _items;

    public CandidateHeap(ListOrder order, int capacity)
    {
        _order = order;
        Capacity = capacity;
        _items = ArrayPool<Candidate>.Shared.Rent(Math.Max(1, capacity));
    }

    public int Capacity { get; }
    public int Count { get; private set; }
    public bool Capped { get; private set; }
    public Span<Candidate> Items => _items.AsSpan(0, Count);
    public Memory<Candidate> Memory => _items.AsMemory(0, Count);

    private bool Better(in Candidate a, in Candidate b) => _order switch
    {
        ListOrder.ConfidenceDescending => a.Approx > b.Approx || (a.Approx == b.Approx && a.Id < b.Id),
        ListOrder.IdAscending => a.Id < b.Id,
        _ => a.Id > b.Id,
    };

    public void Offer(long id, float approx, FaceEntry entry)
    {
        var c = new Candidate { Id = id, Approx = approx, Entry = entry };
        if (Count < Capacity)
        {
            int i = Count++;
            _items[i] = c;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Better(_items[parent], _items[i])) break;
                (_items[parent], _items[i]) = (_items[i], _items[parent]);
                i = parent;
            }
            return;
        }
        Capped = true;
        if (Capacity == 0 || !Better(c, _items[0])) return;
        _items[0] = c;
        int k = 0;
        while (true)
        {
            int l = 2 * k + 1, r = l + 1, worst = k;
            if (l < Count && Better(_items[worst], _items[l])) worst = l;
            if (r < Count && Better(_items[worst], _items[r])) worst = r;
            if (worst == k) break;
            (_items[worst], _items[k]) = (_items[k], _items[worst]);
            k = worst;
        }
    }

    public void Dispose()
    {
        ArrayPool<Candidate>.Shared.Return(_items, clearArray: true);
        _items = [];
    }
}
