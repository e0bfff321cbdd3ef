using System.Drawing;
using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_eye: each eye cropped square around the mean of its eyelid points (side 1.6× the eye's
/// corner-to-corner width), 24×24 grey, v / 255; softmax, p[0] = closed. Grey input.
/// </summary>
public sealed class EyeStateClassifier(OrtSession session) : ModelRunner(session)
{
    public const int Size = 24;

    public EyesState Classify(BgrImage image, ReadOnlySpan<PointF> landmarks)
    {
        // Points 42..47 are the image-right eye: the person's own left eye.
        var left = ClosedProbability(image, landmarks, 42);
        var right = ClosedProbability(image, landmarks, 36);
        return new EyesState(left > 0.5f, right > 0.5f, left, right);
    }

    private float ClosedProbability(BgrImage image, ReadOnlySpan<PointF> p, int first)
    {
        float cx = (p[first + 1].X + p[first + 2].X + p[first + 4].X + p[first + 5].X) / 4;
        float cy = (p[first + 1].Y + p[first + 2].Y + p[first + 4].Y + p[first + 5].Y) / 4;
        var side = MathF.Max(4, (p[first + 3].X - p[first].X) * 1.6f);
        var region = new RectangleF(cx - side / 2, cy - side / 2, side, side);
        return Run((image, region), static (s, input) => TensorSampler.ResizeToGray(s.image, s.region, Size, Size, input, 0f, 1f / 255f),
            static (_, output) =>
            {
                var q = output[..2];
                TensorPacking.Softmax(q);
                return q[0];
            });
    }
}
