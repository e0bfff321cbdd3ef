using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Router.Galleries.Query;

namespace Router.Galleries.Index;

/// <summary>
/// The search of a large gallery in two stages. The first ranks every face's 64-byte sign
/// code by Hamming distance to the query's, on every core (a tenth of the memory the int8
/// scan reads), and keeps the <see cref="Candidates"/> closest that pass the filters; the
/// second scores only those with the int8 codes, as the exact scan scores every face, and
/// the engine re-ranks the best of them with the exact vectors as before.
/// Small galleries, pages after a cursor, listings by id and id filters smaller than the
/// candidate count keep the exact scan (a single pass reads little there, and a cursor's
/// page must continue exactly where the previous one ended).
/// </summary>
public sealed partial class GalleryIndex
{
    /// <summary>
    /// From this many faces a similarity search takes the two-stage path. Measured with
    /// `router bench search --crossover` (2-core machine, load 14–16): exact 0.42 ms against
    /// two-stage 0.49 ms at 25 K faces, 1.85 against 0.63 ms at 50 K, 5.7 against 0.88 ms at 100 K,
    /// 47 against 8.75 ms at 1 M. The break-even lies between 25 K and 50 K; the switch stays at
    /// 100 K so that galleries where the exact scan still takes a few milliseconds keep exact answers.
    /// </summary>
    public const int DefaultApproximateFrom = 100_000;

    /// <summary>Faces the first stage keeps (at least 8× the results asked for). Measured: recall@1 vs the exact scan at 10 M (README).</summary>
    public const int DefaultCandidates = 2000;

    private readonly Stack<FirstStage> _stages = new();
    private long _twoStageScans;

    /// <summary>Scans that took the two-stage path since the index was made.</summary>
    public long TwoStageScans => Interlocked.Read(ref _twoStageScans);

    /// <summary>Face count from which similarity searches take the two-stage path (int.MaxValue: always exact).</summary>
    public int ApproximateFrom { get; set; } = DefaultApproximateFrom;

    /// <summary>Benchmarks only (`bench search --crossover` compares both): the plain popcount loop instead of the AVX2 block kernel.</summary>
    public static bool ScalarFirstStage { get; set; }

    /// <summary>Faces the first stage passes to the int8 stage.</summary>
    public int Candidates { get; set; } = DefaultCandidates;

    /// <summary>Whether this plan, now, takes the two-stage path; the caller holds the read lock.</summary>
    private bool TakesTwoStages(ListPlan plan, CandidateHeap heap, out int candidates)
    {
        candidates = (int)Math.Min(int.MaxValue / 4, Math.Max((long)Candidates, heap.Capacity * 8L));
        return plan.Query is not null && _count >= ApproximateFrom && plan.After is null &&
               plan.Order == ListOrder.ConfidenceDescending && candidates * 4L <= _count &&
               (plan.IdSet is null || plan.IdSet.Count > candidates);
    }

    /// <summary>Every filter of the plan but similarity and cursor (the two-stage path takes no cursor).</summary>
    private bool Passes(ListPlan plan, int slot)
    {
        long id = IdAt(slot);
        if (id < plan.IdMin || id > plan.IdMax) return false;
        if (plan.IdSet is not null && !plan.IdSet.Contains(id)) return false;
        var entry = EntryAt(slot);
        if (plan.WithSubjectOnly && entry.Subject is null) return false;
        if (plan.Subjects is not null && (entry.Subject is null || !plan.Subjects.Contains(entry.Subject))) return false;
        var meta = plan.Meta;
        for (int m = 0; m < meta.Count; m++)
            if (!meta[m].Matches(entry.Meta)) return false;
        return true;
    }

    private static bool Filters(ListPlan plan) =>
        plan.IdMin != long.MinValue || plan.IdMax != long.MaxValue || plan.IdSet is not null ||
        plan.WithSubjectOnly || plan.Subjects is not null || plan.Meta.Count > 0;

    /// <summary>Both stages; the caller holds the read lock (the workers read under it).</summary>
    private void ScanTwoStages(ListPlan plan, CandidateHeap heap, int candidates, ref sbyte queryCodes, float queryScale, float minApprox)
    {
        Interlocked.Increment(ref _twoStageScans);
        FirstStage? stage;
        lock (_stages) _stages.TryPop(out stage);
        stage ??= new FirstStage();
        try
        {
            stage.Prepare(this, plan, candidates);
            ScanWorkers.Run(stage);
            int best = stage.Merge();
            var slots = stage.Best;
            for (int i = 0; i < best; i++)
            {
                int slot = slots[i];
                ref sbyte codes = ref _chunks[slot >> ChunkShift][(slot & ChunkMask) * Dim];
                float approx = Int8Dot.Dot(ref codes, ref queryCodes, Dim) * ScaleAt(slot) * queryScale;
                if (approx < minApprox) continue;
                heap.Offer(IdAt(slot), approx, EntryAt(slot));
            }
        }
        finally
        {
            stage.Release();
            lock (_stages) _stages.Push(stage);
        }
    }

    /// <summary>One search's first stage: per part, the closest sign codes that pass the filters (kept to 2 × candidates, compacted to the best half when full).</summary>
    private sealed class FirstStage : ScanJob
    {
        private readonly ulong[] _query = new ulong[SignCodes.Words];
        private readonly int[] _counts = new int[ScanWorkers.Parts];
        private int[][] _slots = [];
        private ushort[][] _distances = [];
        private GalleryIndex? _index;
        private ListPlan? _plan;
        private bool _filters;
        private int _candidates;

        public int[] Best { get; private set; } = [];

        public void Prepare(GalleryIndex index, ListPlan plan, int candidates)
        {
            _index = index;
            _plan = plan;
            _filters = Filters(plan);
            SignCodes.Encode(plan.Query, _query);
            if (_candidates != candidates)
            {
                _candidates = candidates;
                _slots = new int[PartCount][];
                _distances = new ushort[PartCount][];
                for (int p = 0; p < PartCount; p++)
                {
                    _slots[p] = new int[2 * candidates];
                    _distances[p] = new ushort[2 * candidates];
                }
                Best = new int[candidates];
            }
        }

        public void Release()
        {
            _index = null;
            _plan = null;
        }

        protected override void Run(int part)
        {
            var index = _index!;
            int count = index._count;
            // Parts start on a four-face block; the last ends at the last face.
            int from = (int)((long)count * part / PartCount) & ~(SignBlock - 1);
            int to = part == PartCount - 1 ? count : (int)((long)count * (part + 1) / PartCount) & ~(SignBlock - 1);
            var state = new PartState { Slots = _slots[part], Distances = _distances[part], Limit = SignCodes.Words * 64 };
            ref ulong q = ref _query[0];
            for (int slot = from; slot < to;)
            {
                var chunk = index._signChunks[slot >> ChunkShift];
                int end = Math.Min(to, (slot & ~(ChunkFaces - 1)) + ChunkFaces);
                if (Avx2.IsSupported && !ScalarFirstStage) ScanBlocks(chunk, slot, end, ref state);
                else
                    for (int s = slot; s < end; s++)
                    {
                        int d = 0;
                        int b = ((s & (ChunkFaces - 1)) & ~(SignBlock - 1)) * SignCodes.Words + (s & (SignBlock - 1));
                        for (int w = 0; w < SignCodes.Words; w++) d += BitOperations.PopCount(chunk[b + w * SignBlock] ^ Unsafe.Add(ref q, w));
                        if (d <= state.Limit) Keep(s, d, ref state);
                    }
                slot = end;
            }
            _counts[part] = state.Kept;
        }

        private struct PartState
        {
            public int[] Slots;
            public ushort[] Distances;
            public int Kept;
            public int Limit;
        }

        /// <summary>
        /// Four faces a step: XOR with the query's word, count bits with the nibble table
        /// (vpshufb) into bytes, and sum each face's bytes with vpsadbw; only faces within the
        /// current limit leave the registers.
        /// </summary>
        private void ScanBlocks(ulong[] chunk, int from, int to, ref PartState state)
        {
            var table = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            var low = Vector256.Create((byte)0x0F);
            ref ulong q = ref _query[0];
            var q0 = Vector256.Create(q); var q1 = Vector256.Create(Unsafe.Add(ref q, 1));
            var q2 = Vector256.Create(Unsafe.Add(ref q, 2)); var q3 = Vector256.Create(Unsafe.Add(ref q, 3));
            var q4 = Vector256.Create(Unsafe.Add(ref q, 4)); var q5 = Vector256.Create(Unsafe.Add(ref q, 5));
            var q6 = Vector256.Create(Unsafe.Add(ref q, 6)); var q7 = Vector256.Create(Unsafe.Add(ref q, 7));
            int chunkBase = from & ~(ChunkFaces - 1);
            ref ulong codes = ref chunk[0];
            for (int block = from & ~(SignBlock - 1); block < to; block += SignBlock)
            {
                ref ulong b = ref Unsafe.Add(ref codes, (block - chunkBase) * SignCodes.Words);
                var counts = Count(Vector256.LoadUnsafe(ref b) ^ q0, table, low);
                counts += Count(Vector256.LoadUnsafe(ref b, 4) ^ q1, table, low);
                counts += Count(Vector256.LoadUnsafe(ref b, 8) ^ q2, table, low);
                counts += Count(Vector256.LoadUnsafe(ref b, 12) ^ q3, table, low);
                counts += Count(Vector256.LoadUnsafe(ref b, 16) ^ q4, table, low);
                counts += Count(Vector256.LoadUnsafe(ref b, 20) ^ q5, table, low);
                counts += Count(Vector256.LoadUnsafe(ref b, 24) ^ q6, table, low);
                counts += Count(Vector256.LoadUnsafe(ref b, 28) ^ q7, table, low);
                var distances = Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsInt64();
                uint within = Vector256.LessThanOrEqual(distances, Vector256.Create((long)state.Limit)).ExtractMostSignificantBits();
                while (within != 0)
                {
                    int f = BitOperations.TrailingZeroCount(within);
                    within &= within - 1;
                    int slot = block + f, d = (int)distances.GetElement(f);
                    if (slot >= from && slot < to && d <= state.Limit) Keep(slot, d, ref state);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<byte> Count(Vector256<ulong> x, Vector256<byte> table, Vector256<byte> low)
        {
            var bytes = x.AsByte();
            return Avx2.Shuffle(table, bytes & low) + Avx2.Shuffle(table, Avx2.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low);
        }

        /// <summary>A face within the limit: checked against the filters and kept; a full buffer is compacted to the best half first.</summary>
        private void Keep(int slot, int d, ref PartState state)
        {
            if (_filters && !_index!.Passes(_plan!, slot)) return;
            if (state.Kept == state.Slots.Length)
            {
                state.Limit = Compact(state.Slots, state.Distances, state.Kept, _candidates);
                state.Kept = _candidates;
                if (d > state.Limit) return;
            }
            state.Slots[state.Kept] = slot;
            state.Distances[state.Kept] = (ushort)d;
            state.Kept++;
        }

        /// <summary>Keeps the <paramref name="keep"/> smallest distances at the front; returns the largest distance kept.</summary>
        private static int Compact(int[] slots, ushort[] distances, int count, int keep)
        {
            Span<int> histogram = stackalloc int[SignCodes.Words * 64 + 1];
            for (int i = 0; i < count; i++) histogram[distances[i]]++;
            int cut = 0;
            for (int sum = 0; cut < histogram.Length; cut++)
            {
                sum += histogram[cut];
                if (sum >= keep) break;
            }
            int ties = keep;
            for (int i = 0; i < cut; i++) ties -= histogram[i];
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                int d = distances[i];
                if (d > cut || (d == cut && ties-- <= 0)) continue;
                slots[n] = slots[i];
                distances[n] = (ushort)d;
                n++;
            }
            return cut;
        }

        /// <summary>The best candidates of all parts into <see cref="Best"/>; returns how many.</summary>
        public int Merge()
        {
            Span<int> histogram = stackalloc int[SignCodes.Words * 64 + 1];
            int total = 0;
            for (int p = 0; p < PartCount; p++)
            {
                var d = _distances[p];
                for (int i = 0; i < _counts[p]; i++) histogram[d[i]]++;
                total += _counts[p];
            }
            int keep = Math.Min(total, _candidates);
            int cut = 0;
            for (int sum = 0; cut < histogram.Length - 1; cut++)
            {
                sum += histogram[cut];
                if (sum >= keep) break;
            }
            int ties = keep;
            for (int i = 0; i < cut; i++) ties -= histogram[i];
            int n = 0;
            for (int p = 0; p < PartCount; p++)
            {
                var d = _distances[p];
                var s = _slots[p];
                for (int i = 0; i < _counts[p]; i++)
                    if (d[i] < cut || (d[i] == cut && ties-- > 0)) Best[n++] = s[i];
            }
            return n;
        }
    }
}
