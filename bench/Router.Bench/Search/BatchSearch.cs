using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Router.Galleries.Index;

namespace Router.Bench;

/// <summary>
/// Approximate top-k of several queries in one shared scan of a <see cref="GalleryIndex"/>'s int8
/// codes (<see cref="GalleryIndex.ReadCodes"/>): every code row is read from memory once and scored
/// against all queries while it is in cache, four queries at a time (<see cref="Dot4"/>).
/// `bench search` measures how many queries a second share one scan.
/// </summary>
public static class BatchSearch
{
    private const int Dim = VectorLayout.Dimension;

    /// <summary>
    /// <paramref name="queries"/> holds <c>count × 512</c> floats; results go to
    /// <paramref name="topIds"/>/<paramref name="topScores"/> (<c>count × k</c>, best first; -1 and
    /// −∞ where the index has fewer than k faces).
    /// </summary>
    public static void Search(GalleryIndex index, float[] queries, int k, long[] topIds, float[] topScores)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queries);
        int count = queries.Length / Dim;
        var codes = ArrayPool<sbyte>.Shared.Rent(count * Dim);
        var queryScales = ArrayPool<float>.Shared.Rent(count);
        try
        {
            for (int i = 0; i < count; i++)
                queryScales[i] = Int8Quantizer.Quantize(queries.AsSpan(i * Dim, Dim), codes.AsSpan(i * Dim, Dim));
            topScores.AsSpan(0, count * k).Fill(float.NegativeInfinity);
            topIds.AsSpan(0, count * k).Fill(-1);
            index.ReadCodes((rows, scales, ids) => Scan(rows, scales, ids, codes, queryScales, count, k, topIds, topScores));
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(codes);
            ArrayPool<float>.Shared.Return(queryScales);
        }
    }

    private static void Scan(ReadOnlySpan<sbyte> rows, ReadOnlySpan<float> scales, ReadOnlySpan<long> ids,
        sbyte[] codes, float[] queryScales, int count, int k, Span<long> topIds, Span<float> topScores)
    {
        Span<int> sums = stackalloc int[4];
        int blocked = count & ~3;
        ref sbyte first = ref MemoryMarshal.GetReference(rows);
        for (int face = 0; face < ids.Length; face++)
        {
            ref sbyte row = ref Unsafe.Add(ref first, face * Dim);
            float scale = scales[face];
            long id = ids[face];
            int i = 0;
            for (; i < blocked; i += 4)
            {
                Dot4(ref row, ref codes[i * Dim], Dim, sums);
                for (int j = 0; j < 4; j++) Keep(i + j, sums[j] * scale * queryScales[i + j], id, k, topIds, topScores);
            }
            for (; i < count; i++)
                Keep(i, Int8Dot.Dot(ref row, ref codes[i * Dim], Dim) * scale * queryScales[i], id, k, topIds, topScores);
        }
    }

    private static void Keep(int query, float score, long id, int k, Span<long> topIds, Span<float> topScores)
    {
        var ts = topScores.Slice(query * k, k);
        if (score <= ts[k - 1]) return;
        var ti = topIds.Slice(query * k, k);
        int p = k - 1;
        while (p > 0 && ts[p - 1] < score) { ts[p] = ts[p - 1]; ti[p] = ti[p - 1]; p--; }
        ts[p] = score;
        ti[p] = id;
    }

    /// <summary>
    /// One code row against four queries (<c>4 × length</c> codes, query after query): the row is
    /// loaded and its |a| computed once per step and shared by the four products (the batch scan's
    /// inner kernel). Each sum equals <see cref="Int8Dot.Dot"/> of the row and that query.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(ref sbyte row, ref sbyte queries, int length, Span<int> sums)
    {
        if (!Avx2.IsSupported)
        {
            for (int q = 0; q < 4; q++) sums[q] = Int8Dot.Dot(ref row, ref Unsafe.Add(ref queries, q * length), length);
            return;
        }
        var a0 = Vector256<int>.Zero; var a1 = Vector256<int>.Zero; var a2 = Vector256<int>.Zero; var a3 = Vector256<int>.Zero;
        var ones = Vector256.Create((short)1);
        ref sbyte q0 = ref queries;
        ref sbyte q1 = ref Unsafe.Add(ref queries, length);
        ref sbyte q2 = ref Unsafe.Add(ref queries, 2 * length);
        ref sbyte q3 = ref Unsafe.Add(ref queries, 3 * length);
        for (int i = 0; i + 32 <= length; i += 32)
        {
            var va = Vector256.LoadUnsafe(ref row, (nuint)i);
            var abs = Avx2.Abs(va);
            a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(abs, Avx2.Sign(Vector256.LoadUnsafe(ref q0, (nuint)i), va)), ones));
            a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(abs, Avx2.Sign(Vector256.LoadUnsafe(ref q1, (nuint)i), va)), ones));
            a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(abs, Avx2.Sign(Vector256.LoadUnsafe(ref q2, (nuint)i), va)), ones));
            a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(abs, Avx2.Sign(Vector256.LoadUnsafe(ref q3, (nuint)i), va)), ones));
        }
        sums[0] = Vector256.Sum(a0); sums[1] = Vector256.Sum(a1); sums[2] = Vector256.Sum(a2); sums[3] = Vector256.Sum(a3);
    }
}
