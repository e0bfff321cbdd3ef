using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>fr_age (SSR-Net): the merged value × 101 is the age in years.</summary>
public sealed class AgeEstimator(OrtSession session, ChannelOrder order = ChannelOrder.Bgr) : SsrNet(session, order)
{
    public float EstimateYears(BgrImage image, BBox box)
    {
        return Math.Clamp(Regress(image, FaceCrops.ScaledInside(box, 1.4f, image.Width, image.Height)) * 101f, 0f, 100f);
    }
}
