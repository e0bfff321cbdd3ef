using System.Numerics.Tensors;
using Router.Models.Imaging;

namespace Router.Models.Faces;

/// <summary>
/// Turns packed BGR pixels into the planar (NCHW) float input a model takes:
/// value = (pixel − mean[c]) × scale[c]. The de-interleave is one pass; the affine
/// normalisation runs vectorised per plane.
/// </summary>
internal static class TensorPacking
{
    public static void Planes(BgrImage image, Span<float> destination, ChannelOrder order, float mean, float scale) =>
        Planes(image, destination, order, [mean, mean, mean], [scale, scale, scale]);

    /// <param name="mean">Per input plane (in <paramref name="order"/>), in pixel units 0..255.</param>
    /// <param name="scale">Per input plane multiplier.</param>
    public static void Planes(BgrImage image, Span<float> destination, ChannelOrder order, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        var n = image.Width * image.Height;
        var src = image.Pixels;
        var p0 = destination[..n];
        var p1 = destination.Slice(n, n);
        var p2 = destination.Slice(2 * n, n);
        // Plane 0 gets blue for BGR, red for RGB.
        int c0 = order == ChannelOrder.Bgr ? 0 : 2, c2 = 2 - c0;
        for (var i = 0; i < n; i++)
        {
            var o = i * 3;
            p0[i] = src[o + c0];
            p1[i] = src[o + 1];
            p2[i] = src[o + c2];
        }
        Normalize(p0, mean[0], scale[0]);
        Normalize(p1, mean[1], scale[1]);
        Normalize(p2, mean[2], scale[2]);
    }

    private static void Normalize(Span<float> plane, float mean, float scale)
    {
        if (mean == 0 && scale == 1) return;
        // (v − mean) × scale = v × scale + (−mean × scale)
        TensorPrimitives.Multiply(plane, scale, plane);
        TensorPrimitives.Add(plane, -mean * scale, plane);
    }

    public static void Softmax(Span<float> values) => TensorPrimitives.SoftMax(values, values);
}
