using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Router.Galleries.Index;

/// <summary>
/// Integer dot products of int8 codes (-127..127). The AVX2 path handles 32 codes per step:
/// |a| (unsigned) times sign(a)·b with vpmaddubsw into int16 pairs, then vpmaddwd into int32.
/// </summary>
public static class Int8Dot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(ref sbyte a, ref sbyte b, int length)
    {
        if (Avx2.IsSupported)
        {
            var acc = Vector256<int>.Zero;
            var ones = Vector256.Create((short)1);
            int i = 0;
            for (; i + 32 <= length; i += 32)
            {
                var va = Vector256.LoadUnsafe(ref a, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref b, (nuint)i);
                var pairs = Avx2.MultiplyAddAdjacent(Avx2.Abs(va), Avx2.Sign(vb, va));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(pairs, ones));
            }
            int sum = Vector256.Sum(acc);
            for (; i < length; i++) sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
            return sum;
        }
        return DotScalar(ref a, ref b, length);
    }

    /// <summary>
    /// One code row against four queries: the row is loaded and its |a| computed once per
    /// step and shared by the four products (the batch scan's inner kernel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(ref sbyte row, ref sbyte queries, int length, Span<int> sums)
    {
        if (!Avx2.IsSupported)
        {
            for (int q = 0; q < 4; q++) sums[q] = DotScalar(ref row, ref Unsafe.Add(ref queries, q * length), length);
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

    private static int DotScalar(ref sbyte a, ref sbyte b, int length)
    {
        int sum = 0;
        for (int i = 0; i < length; i++) sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        return sum;
    }
}
