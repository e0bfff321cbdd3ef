using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_gender (SSR-Net): the merged value is the probability of "male". BGR input: on the 22
/// sample faces (all women) BGR gives more right answers than the RGB the vendor's canvas
/// code implies (models.md: 21 vs 17; the channel-order test measures it again).
/// </summary>
public sealed class GenderEstimator(OrtSession session, ChannelOrder order = ChannelOrder.Bgr) : SsrNet(session, order)
{
    public GenderEstimate Estimate(BgrImage image, BBox box)
    {
        using var crop = ImageOps.ResizeRegion(image, FaceCrops.ScaledInside(box, 1.4f, image.Width, image.Height), Size, Size);
        var male = Math.Clamp(Regress(crop), 0f, 1f);
        return male >= 0.5f ? new GenderEstimate("male", male) : new GenderEstimate("female", 1 - male);
    }
}
