using System.Drawing;
using Router.Abstractions;
using Router.Models.Imaging;

namespace Router.Host.Galleries;

/// <summary>
/// The small picture a gallery keeps with a face, for people browsing the gallery: the face with a
/// quarter of its size as margin, at most 128 px a side, JPEG quality 80 (3–6 KB).
/// </summary>
public static class FaceThumbnail
{
    public const int MaxSide = 128;
    public const int Quality = 80;

    /// <summary>The thumbnail of the face at <paramref name="box"/> (upright coordinates) of an encoded photo.</summary>
    public static byte[] FromPhoto(ReadOnlySpan<byte> photo, BBox box)
    {
        using var decoded = ImageDecoder.Decode(photo);
        int margin = Math.Max(box.Width, box.Height) / 4;
        var region = Rectangle.FromLTRB(box.Left - margin, box.Top - margin, box.Right + margin, box.Bottom + margin);
        using var crop = ImageOps.Crop(decoded.Image, region);
        double scale = Math.Min(1.0, (double)MaxSide / Math.Max(crop.Width, crop.Height));
        if (scale >= 1.0) return JpegCodec.Encode(crop, Quality);
        using var small = ImageOps.Resize(crop, Math.Max(1, (int)Math.Round(crop.Width * scale)), Math.Max(1, (int)Math.Round(crop.Height * scale)));
        return JpegCodec.Encode(small, Quality);
    }
}
