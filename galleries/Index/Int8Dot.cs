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

    private static int DotScalar(ref sbyte a, ref sbyte b, int length)
    {
        int sum = 0;
        for (int i = 0; i < length; i++) sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        return sum;
    }
}
