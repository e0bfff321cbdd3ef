using System.Numerics.Tensors;

namespace Router.Tests.Common;

/// <summary>
/// Seeded vectors shaped like a real gallery's embeddings rather than uniform noise (which
/// spreads evenly over the sphere and flatters sign codes): every vector shares a common
/// mean direction, the variance falls off across dimensions (a power law, as an embedding's
/// principal components do), identities cluster around a few "prototype" faces, and each
/// identity's samples are noisy shots of it.
/// </summary>
public sealed class FaceLikeVectors
{
    private const int Dim = 512;
    private readonly float[] _mean;
    private readonly float[] _spread;
    private readonly float[][] _prototypes;
    private readonly Random _rng;

    public FaceLikeVectors(int seed, int prototypes = 40)
    {
        _rng = new Random(seed);
        _mean = TestVectors.Random(_rng);
        _spread = new float[Dim];
        for (int i = 0; i < Dim; i++) _spread[i] = (float)Math.Pow(i + 1, -0.35);
        _prototypes = new float[prototypes][];
        for (int p = 0; p < prototypes; p++) _prototypes[p] = Shaped(0.35f, 1f);
    }

    /// <summary>An identity's centre: a prototype plus its own shaped offset (cosine ≈ 0.6 to the prototype).</summary>
    public float[] Identity()
    {
        var p = _prototypes[_rng.Next(_prototypes.Length)];
        var own = Shaped(0, 1f);
        var v = new float[Dim];
        for (int i = 0; i < Dim; i++) v[i] = p[i] + 0.9f * own[i];
        TestVectors.Normalize(v);
        return v;
    }

    /// <summary>A shot of an identity: its centre plus noise (cosine ≈ 0.75..0.9 to it).</summary>
    public float[] Shot(float[] identity, double noise = 0.6) => TestVectors.Near(identity, noise, _rng);

    /// <summary>A unit vector: <paramref name="meanWeight"/> of the mean direction plus Gaussian noise scaled per dimension.</summary>
    private float[] Shaped(float meanWeight, float scale)
    {
        var v = new float[Dim];
        for (int i = 0; i < Dim; i++) v[i] = meanWeight * _mean[i] + scale * _spread[i] * Gaussian() / 8f;
        TestVectors.Normalize(v);
        return v;
    }

    private float Gaussian() => (float)(Math.Sqrt(-2 * Math.Log(1 - _rng.NextDouble())) * Math.Cos(2 * Math.PI * _rng.NextDouble()));
}
