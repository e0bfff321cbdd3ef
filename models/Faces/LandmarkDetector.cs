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
        var region = new RectangleF(box.Left, box.Top, box.Width, box.Height);
        using var crop = ImageOps.ResizeRegion(image, region, Size, Size);
        return Run((crop, region), static (s, input) => TensorPacking.Gray(s.crop, input, 0f, 1f / 256f),
            static (s, output) =>
            {
                var points = new PointF[Points];
                for (var i = 0; i < Points; i++)
                    points[i] = new PointF(s.region.X + output[2 * i] * s.region.Width, s.region.Y + output[2 * i + 1] * s.region.Height);
                return points;
            });
    }
}
