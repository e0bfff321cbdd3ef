using System.Numerics.Tensors;

namespace Router.Tests.Common;

/// <summary>Random L2-normalised 512-d vectors shaped like face embeddings: identities and noisy samples of them.</summary>
public static class TestVectors
{
    public static float[] Random(Random rng)
    {
        var v = new float[512];
        for (int i = 0; i < v.Length; i++) v[i] = (float)Gaussian(rng);
        Normalize(v);
        return v;
    }

    /// <summary>A sample of the identity <paramref name="center"/>: cosine to it falls as noise grows (0.5 → ~0.9).</summary>
    public static float[] Near(float[] center, double noise, Random rng)
    {
        var v = new float[512];
        for (int i = 0; i < v.Length; i++) v[i] = center[i] + (float)(Gaussian(rng) * noise / Math.Sqrt(512));
        Normalize(v);
        return v;
    }

    public static void Normalize(float[] v)
    {
        float n = TensorPrimitives.Norm(v);
        TensorPrimitives.Divide(v, n, v);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
