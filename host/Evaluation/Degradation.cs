using Router.Models.Imaging;

namespace Router.Host.Evaluation;

/// <summary>
/// Makes a photo look like a camera's frame before the pipeline sees it: rescaled by
/// <see cref="Scale"/> (bilinear, as a lower camera resolution or a farther person) and
/// recompressed as JPEG at <see cref="JpegQuality"/> (as a camera's codec). Used to measure
/// how recognition degrades with face size and compression on real faces.
/// </summary>
public sealed record Degradation(double Scale, int JpegQuality)
{
    public BgrImage Apply(BgrImage image)
    {
        var w = Math.Max(8, (int)Math.Round(image.Width * Scale));
        var h = Math.Max(8, (int)Math.Round(image.Height * Scale));
        using var scaled = ImageOps.Resize(image, w, h);
        return JpegCodec.Decode(JpegCodec.Encode(scaled, JpegQuality));
    }

    public override string ToString() => $"scale {Scale:0.###}, JPEG quality {JpegQuality}";
}
