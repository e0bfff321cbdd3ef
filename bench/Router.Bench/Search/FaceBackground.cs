using System.Numerics.Tensors;

namespace Router.Bench;

/// <summary>
/// A seeded background of face-like embeddings for the search benchmark, built around real
/// ones, not uniform noise (which spreads evenly over the sphere and flatters sign codes):
/// identity k's centre is a real embedding plus a fraction of a second one plus isotropic
/// noise of about the same norm (cosine ≈ 0.6 to the real face; identities built on the same
/// real face are ≈ 0.4 alike, a more crowded gallery than real strangers make), and its
/// samples are the centre plus noise (cosine 0.7..0.93 to it), as noisy shots of one person.
/// Face i depends on (seed, i) only, so any range can be made on any thread in any order.
/// </summary>
internal sealed class FaceBackground(IReadOnlyList<float[]> anchors, ulong seed, int samplesPerIdentity = 10)
{
    private const int Dim = 512;

    public void Fill(long face, Span<float> v)
    {
        long identity = face / samplesPerIdentity;
        var rng = new SplitMix(seed ^ ((ulong)identity * 0xD1B54A32D192ED03UL));
        var a = anchors[(int)(rng.Next() % (ulong)anchors.Count)];
        var b = anchors[(int)(rng.Next() % (ulong)anchors.Count)];
        float lambda = 0.5f * rng.NextFloat();
        const float spread = 1.2f;
        float g = spread / MathF.Sqrt(Dim);
        for (int i = 0; i < Dim; i++) v[i] = a[i] + lambda * b[i] + g * rng.Gaussian();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        var own = new SplitMix(seed + 0x632BE59BD9B4E019UL * (ulong)(face + 1));
        float noise = (0.4f + 0.6f * own.NextFloat()) / MathF.Sqrt(Dim);
        for (int i = 0; i < Dim; i++) v[i] += noise * own.Gaussian();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
    }

    /// <summary>Another shot of a real face: it plus noise (cosine about 0.8..0.9 to it).</summary>
    public static void Perturb(ReadOnlySpan<float> real, ulong seed, Span<float> v)
    {
        var rng = new SplitMix(seed);
        float noise = (0.45f + 0.3f * rng.NextFloat()) / MathF.Sqrt(Dim);
        for (int i = 0; i < Dim; i++) v[i] = real[i] + noise * rng.Gaussian();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
    }

    /// <summary>SplitMix64, with a cheap near-Gaussian (the sum of four 16-bit uniforms, scaled to unit variance).</summary>
    private struct SplitMix(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public float NextFloat() => (Next() >> 40) * (1f / (1 << 24));

        public float Gaussian()
        {
            ulong r = Next();
            int sum = (int)(r & 0xFFFF) + (int)((r >> 16) & 0xFFFF) + (int)((r >> 32) & 0xFFFF) + (int)(r >> 48);
            return (sum * (1f / 65536f) - 2f) * 1.7320508f;
        }
    }
}
