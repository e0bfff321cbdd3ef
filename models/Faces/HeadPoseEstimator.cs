using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_pose (HopeNet-style): the box grown by a quarter on each side, 224×224, ImageNet
/// mean/std; three 66-bin outputs (yaw, pitch, roll) whose softmax expectation × 3 − 99 is
/// the angle in degrees.
/// </summary>
public sealed class HeadPoseEstimator : ModelRunner
{
    public const int Size = 224;
    private readonly int _yaw, _pitch, _roll;

    public HeadPoseEstimator(OrtSession session, ChannelOrder order = ChannelOrder.Bgr) : base(session)
    {
        Order = order;
        // The exported graph names its outputs "output", "617", "618" (yaw, pitch, roll).
        _yaw = session.OutputOffset(0);
        _pitch = session.OutputOffset(1);
        _roll = session.OutputOffset(2);
    }

    public ChannelOrder Order { get; }

    private static readonly float[] MeanRgb = [0.485f * 255, 0.456f * 255, 0.406f * 255];
    private static readonly float[] ScaleRgb = [1 / (0.229f * 255), 1 / (0.224f * 255), 1 / (0.225f * 255)];
    private static readonly float[] MeanBgr = [MeanRgb[2], MeanRgb[1], MeanRgb[0]];
    private static readonly float[] ScaleBgr = [ScaleRgb[2], ScaleRgb[1], ScaleRgb[0]];

    public HeadPose Estimate(BgrImage image, BBox box)
    {
        var region = FaceCrops.Grown(box, 0.25f, image.Width, image.Height);
        return Run((image, this, region), static (s, input) =>
            {
                var rgb = s.Item2.Order == ChannelOrder.Rgb;
                TensorSampler.ResizeToPlanes(s.image, s.region, Size, Size, input, s.Item2.Order, rgb ? MeanRgb : MeanBgr, rgb ? ScaleRgb : ScaleBgr);
            },
            static (s, output) => new HeadPose(Angle(output.Slice(s.Item2._yaw, 66)), Angle(output.Slice(s.Item2._pitch, 66)), Angle(output.Slice(s.Item2._roll, 66))));
    }

    private static float Angle(Span<float> bins)
    {
        TensorPacking.Softmax(bins);
        float sum = 0;
        for (var i = 0; i < bins.Length; i++) sum += bins[i] * i;
        return sum * 3 - 99;
    }
}
