using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_liveness: the box ×2.7 (face plus surroundings, where screen and paper edges show),
/// 128×128, raw 0..255; softmax, p[0] = live.
/// </summary>
public sealed class LivenessDetector(OrtSession session, ChannelOrder order = ChannelOrder.Rgb) : ModelRunner(session)
{
    public const int Size = 128;
    public const float LiveThreshold = 0.5f;

    public ChannelOrder Order { get; } = order;

    public LivenessEstimate Estimate(BgrImage image, BBox box)
    {
        var region = FaceCrops.ScaledInside(box, 2.7f, image.Width, image.Height);
        var live = Run((image, region, Order), static (s, input) => TensorSampler.ResizeToPlanes(s.image, s.region, Size, Size, input, s.Order, 0f, 1f),
            static (_, output) =>
            {
                var p = output[..3];
                TensorPacking.Softmax(p);
                return p[0];
            });
        return new LivenessEstimate(live >= LiveThreshold, live);
    }
}
