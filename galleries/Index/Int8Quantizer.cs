using System.Numerics.Tensors;

namespace Router.Galleries.Index;

/// <summary>
/// Symmetric per-vector int8 quantisation: code = round(v / scale), scale = max|v| / 127.
/// Codes stay in -127..127 so the AVX2 sign/maddubs kernel cannot saturate.
/// </summary>
public static class Int8Quantizer
{
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        float maxAbs = TensorPrimitives.MaxMagnitude(vector);
        maxAbs = MathF.Abs(maxAbs);
        if (maxAbs == 0 || !float.IsFinite(maxAbs))
        {
            codes.Clear();
            return 0;
        }
        float inv = 127f / maxAbs;
        for (int i = 0; i < vector.Length; i++)
            codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * inv), -127f, 127f);
        return maxAbs / 127f;
    }
}
