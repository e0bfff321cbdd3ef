using System.Drawing;
using System.Numerics.Tensors;
using Router.Models.Faces;
using Router.Models.Imaging;

namespace Router.Bench;

/// <summary>
/// The models' inputs made the way they were before the fused samplers (<see cref="TensorSampler"/>):
/// resize or warp into a BGR image, then de-interleave (or grey) and normalise. Kept as the reference
/// that the tests and `bench models` compare the production preprocessing with: the same fixed-point
/// arithmetic, so both agree to float rounding.
/// </summary>
public static class ReferencePreprocessing
{
    /// <summary>The reference for <see cref="FaceDetector.Preprocess"/>: 320×240 planes in the detector's order, (v − 127) / 128.</summary>
    public static void Detector(FaceDetector detector, BgrImage image, RectangleF region, Span<float> input)
    {
        ArgumentNullException.ThrowIfNull(detector);
        using var resized = BgrImage.Rent(FaceDetector.InputWidth, FaceDetector.InputHeight);
        ImageOps.ResizeRegion(image, region, resized);
        TensorPacking.Planes(resized, input[..detector.Session.InputLength], detector.Order, 127f, 1f / 128f);
    }

    /// <summary>The reference for <see cref="LandmarkDetector.Preprocess"/>: 64×64 grey, v / 256.</summary>
    public static void Landmarks(BgrImage image, RectangleF region, Span<float> input)
    {
        using var crop = ImageOps.ResizeRegion(image, region, LandmarkDetector.Size, LandmarkDetector.Size);
        Gray(crop, input, 0f, 1f / 256f);
    }

    /// <summary>The reference for <see cref="FaceEmbedder.Preprocess"/>: the aligned 112×112 face, planes in <paramref name="order"/>, (v − 127) / 128.</summary>
    public static void Embedder(BgrImage image, AffineMatrix templateToImage, ChannelOrder order, Span<float> input)
    {
        using var aligned = ImageOps.WarpAffine(image, templateToImage, FaceAligner.Size, FaceAligner.Size);
        TensorPacking.Planes(aligned, input, order, 127f, 1f / 128f);
    }

    /// <summary>Planar (NCHW) floats of a whole image, (pixel − mean[c]) × scale[c]: the reference for <see cref="TensorSampler.ResizeToPlanes(BgrImage, RectangleF, int, int, Span{float}, ChannelOrder, ReadOnlySpan{float}, ReadOnlySpan{float})"/>.</summary>
    public static void Planes(BgrImage image, Span<float> destination, ChannelOrder order, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale) =>
        TensorPacking.Planes(image, destination, order, mean, scale);

    /// <summary>One grey plane (BT.601 luma) of a whole image, (v − mean) × scale: the reference for <see cref="TensorSampler.ResizeToGray"/>.</summary>
    public static void Gray(BgrImage image, Span<float> destination, float mean, float scale)
    {
        ArgumentNullException.ThrowIfNull(image);
        var n = image.Width * image.Height;
        Span<byte> gray = n <= 4096 ? stackalloc byte[n] : new byte[n];
        ColorConversions.ToGray(image, gray);
        for (var i = 0; i < n; i++) destination[i] = gray[i];
        // (v − mean) × scale = v × scale + (−mean × scale), as TensorPacking normalises.
        if (mean == 0 && scale == 1) return;
        TensorPrimitives.Multiply(destination[..n], scale, destination[..n]);
        TensorPrimitives.Add(destination[..n], -mean * scale, destination[..n]);
    }
}
