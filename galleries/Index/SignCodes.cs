using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Router.Galleries.Index;

/// <summary>
/// 512-bit sign codes of a fixed random rotation of a vector (the first stage of a large
/// gallery's search): bit i is set when coordinate i of R·v is negative. For a random
/// rotation, the Hamming distance d of two codes estimates their angle (θ ≈ π·d/512), so the
/// closest codes hold the most similar faces. Embeddings are not isotropic (a shared mean
/// direction, uneven variance per dimension), and signs of the raw coordinates would spend
/// bits on the skewed ones; the rotation spreads every direction over all bits.
/// R is a structured rotation (random signs then a Walsh–Hadamard transform, twice):
/// O(n log n), about half a microsecond a vector, so a 10 M-face cold load can afford it.
/// </summary>
public static class SignCodes
{
    public const int Words = VectorLayout.Dimension / 64;
    public const int Bytes = Words * sizeof(ulong);
    private const int Dim = VectorLayout.Dimension;

    /// <summary>Rounds of sign-flip + Hadamard (measured with `bench search --variants`: 2 recall as well as 3).</summary>
    public const int DefaultRounds = 2;

    // Fixed random signs per round (SplitMix64 from a constant seed): every process encodes alike.
    private static readonly float[][] Signs = MakeSigns(3);

    private static float[][] MakeSigns(int rounds)
    {
        var signs = new float[rounds][];
        ulong state = 0x5EED_F00D_CAFE_0001UL;
        for (int r = 0; r < rounds; r++)
        {
            signs[r] = new float[Dim];
            for (int i = 0; i < Dim; i++)
            {
                state += 0x9E3779B97F4A7C15UL;
                ulong z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                signs[r][i] = (z & 1) == 0 ? 1f : -1f;
            }
        }
        return signs;
    }

    /// <summary>Writes the sign code of R·<paramref name="vector"/> (512 floats) to <paramref name="code"/> (8 words).</summary>
    public static void Encode(ReadOnlySpan<float> vector, Span<ulong> code, int rounds = DefaultRounds)
    {
        Span<float> x = stackalloc float[Dim];
        vector[..Dim].CopyTo(x);
        Rotate(x, rounds);
        Pack(x, code);
    }

    /// <summary>As <see cref="Encode(ReadOnlySpan{float}, Span{ulong}, int)"/> from int8 codes (their signs after rotation are those of the vector's but for coordinates within a rounding step of zero).</summary>
    public static void Encode(ReadOnlySpan<sbyte> codes, Span<ulong> code, int rounds = DefaultRounds)
    {
        Span<float> x = stackalloc float[Dim];
        for (int i = 0; i < Dim; i++) x[i] = codes[i];
        Rotate(x, rounds);
        Pack(x, code);
    }

    /// <summary>The rotation in place (rounds of sign flips and an unnormalised Walsh–Hadamard transform).</summary>
    public static void Rotate(Span<float> x, int rounds = DefaultRounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            var s = Signs[r];
            for (int i = 0; i < Dim; i++) x[i] *= s[i];
            Hadamard(x);
        }
    }

    private static void Pack(ReadOnlySpan<float> x, Span<ulong> code)
    {
        for (int w = 0; w < Words; w++)
        {
            ulong bits = 0;
            if (Avx.IsSupported)
            {
                for (int k = 0; k < 8; k++)
                {
                    var v = Vector256.Create(x.Slice(w * 64 + k * 8, 8));
                    bits |= (ulong)(uint)Avx.MoveMask(v) << (k * 8);
                }
            }
            else
            {
                for (int b = 0; b < 64; b++)
                    if (BitConverter.SingleToInt32Bits(x[w * 64 + b]) < 0) bits |= 1UL << b;
            }
            code[w] = bits;
        }
    }

    /// <summary>In-place fast Walsh–Hadamard transform of 512 floats: the first three stages inside each 8-float register, the rest across registers.</summary>
    private static void Hadamard(Span<float> x)
    {
        ref float r0 = ref x[0];
        int h = 1;
        if (Avx.IsSupported && Fma.IsSupported)
        {
            var s1 = Vector256.Create(1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f);
            var s2 = Vector256.Create(1f, 1f, -1f, -1f, 1f, 1f, -1f, -1f);
            var s4 = Vector256.Create(1f, 1f, 1f, 1f, -1f, -1f, -1f, -1f);
            for (int i = 0; i < Dim; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref r0, (nuint)i);
                v = Fma.MultiplyAdd(v, s1, Avx.Permute(v, 0xB1)); // pairs: (a+b, a−b)
                v = Fma.MultiplyAdd(v, s2, Avx.Permute(v, 0x4E)); // pairs of pairs
                v = Fma.MultiplyAdd(v, s4, Avx.Permute2x128(v, v, 1)); // halves
                v.StoreUnsafe(ref r0, (nuint)i);
            }
            h = 8;
            for (; h < Dim; h <<= 1)
                for (int i = 0; i < Dim; i += h << 1)
                    for (int j = i; j < i + h; j += 8)
                    {
                        var a = Vector256.LoadUnsafe(ref r0, (nuint)j);
                        var b = Vector256.LoadUnsafe(ref r0, (nuint)(j + h));
                        (a + b).StoreUnsafe(ref r0, (nuint)j);
                        (a - b).StoreUnsafe(ref r0, (nuint)(j + h));
                    }
            return;
        }
        for (; h < Dim; h <<= 1)
            for (int i = 0; i < Dim; i += h << 1)
                for (int j = i; j < i + h; j++)
                {
                    float a = x[j], b = x[j + h];
                    x[j] = a + b;
                    x[j + h] = a - b;
                }
    }

    /// <summary>Hamming distance of two 8-word codes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(ref ulong a, ref ulong b) =>
        BitOperations.PopCount(a ^ b) + BitOperations.PopCount(Unsafe.Add(ref a, 1) ^ Unsafe.Add(ref b, 1)) +
        BitOperations.PopCount(Unsafe.Add(ref a, 2) ^ Unsafe.Add(ref b, 2)) + BitOperations.PopCount(Unsafe.Add(ref a, 3) ^ Unsafe.Add(ref b, 3)) +
        BitOperations.PopCount(Unsafe.Add(ref a, 4) ^ Unsafe.Add(ref b, 4)) + BitOperations.PopCount(Unsafe.Add(ref a, 5) ^ Unsafe.Add(ref b, 5)) +
        BitOperations.PopCount(Unsafe.Add(ref a, 6) ^ Unsafe.Add(ref b, 6)) + BitOperations.PopCount(Unsafe.Add(ref a, 7) ^ Unsafe.Add(ref b, 7));
}
