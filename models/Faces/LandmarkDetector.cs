using System.Drawing;
using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_landmark: the (square) face box resized to 64×64 grey, v / 256; gives 68 points
/// (iBUG order) in 0..1 of the box. Grey input, so no channel-order question.
/// </summary>
public sealed class LandmarkDetector(OrtSession session) : ModelRunner(session)
{
    public const int Size = 64;
    public const int Points = 68;

    public PointF[] Detect(BgrImage image, BBox box)
    {
        var region = Region(box);
        return Run((image, region), static (s, input) => Preprocess(s.image, s.region, input),
            static (s, output) =>
            {
                var points = new PointF[Points];
                Read(output, s.region, points);
                return points;
            });
    }

    /// <summary>The crop the model reads: the (square) face box itself.</summary>
    public static RectangleF Region(BBox box) => new(box.Left, box.Top, box.Width, box.Height);

    /// <summary>The model's input: <paramref name="region"/> resampled to 64×64 grey, v / 256, in one pass.</summary>
    public static void Preprocess(BgrImage image, RectangleF region, Span<float> input) =>
        TensorSampler.ResizeToGray(image, region, Size, Size, input, 0f, 1f / 256f);

    /// <summary>The 68 points of one run's output, in image coordinates.</summary>
    public static void Read(ReadOnlySpan<float> output, RectangleF region, Span<PointF> points)
    {
        for (var i = 0; i < Points; i++)
            points[i] = new PointF(region.X + output[2 * i] * region.Width, region.Y + output[2 * i + 1] * region.Height);
    }
}
