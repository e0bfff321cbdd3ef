using System.Buffers.Binary;

namespace Router.Models.Imaging;

/// <summary>
/// The EXIF <c>Orientation</c> tag (0x0112) of a JPEG, PNG or WEBP (the formats that carry
/// EXIF) and the transform that makes its pixels upright. Phones store pictures as the sensor
/// saw them and set this tag instead of rotating; ignoring it gives sideways faces the detector
/// cannot find. Read here, not from the codec, because the header check counts the rotation's
/// second picture before decoding (<see cref="ImageHeaders"/>).
/// </summary>
public static class ExifOrientation
{
    /// <summary>
    /// 1..8 from the JPEG's APP1 Exif segment, the PNG's <c>eXIf</c> chunk (before the image
    /// data) or the WEBP's <c>EXIF</c> chunk; 1 (as stored) when there is none, it is
    /// unreadable, or the format carries no EXIF.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> data) => ImageDecoder.Sniff(data) switch
    {
        ImageFormat.Jpeg => ReadJpeg(data),
        ImageFormat.Png => ReadPng(data),
        ImageFormat.Webp => ReadWebp(data),
        _ => 1,
    };

    private static int ReadPng(ReadOnlySpan<byte> png)
    {
        var pos = 8L;
        while (pos + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[(int)pos..]);
            var type = png.Slice((int)pos + 4, 4);
            if (type.SequenceEqual("IDAT"u8)) break;
            if (type.SequenceEqual("eXIf"u8))
                return pos + 8 + length <= png.Length ? ReadTiff(png.Slice((int)pos + 8, (int)length)) : 1;
            pos += 12L + length;
        }
        return 1;
    }

    private static int ReadWebp(ReadOnlySpan<byte> webp)
    {
        // RIFF chunks after "RIFF" size "WEBP": a fourcc, a little-endian size, the data padded to even.
        var pos = 12L;
        while (pos + 8 <= webp.Length)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(webp[((int)pos + 4)..]);
            if (webp.Slice((int)pos, 4).SequenceEqual("EXIF"u8))
            {
                if (pos + 8 + length > webp.Length) return 1;
                var exif = webp.Slice((int)pos + 8, (int)length);
                // Some writers keep JPEG's "Exif\0\0" before the TIFF header.
                return ReadTiff(exif.StartsWith("Exif\0\0"u8) ? exif[6..] : exif);
            }
            pos += 8L + length + (length & 1);
        }
        return 1;
    }

    private static int ReadJpeg(ReadOnlySpan<byte> jpeg)
    {
        var pos = 2;
        while (pos + 4 <= jpeg.Length && jpeg[pos] == 0xFF)
        {
            var marker = jpeg[pos + 1];
            if (marker == 0xD8 || marker is >= 0xD0 and <= 0xD7 || marker == 0x01) { pos += 2; continue; }
            if (marker == 0xFF) { pos++; continue; }
            if (marker == 0xDA || marker == 0xD9) break; // image data starts: no more metadata
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(pos + 2));
            if (length < 2 || pos + 2 + length > jpeg.Length) break;
            var segment = jpeg.Slice(pos + 4, length - 2);
            if (marker == 0xE1 && segment.Length >= 14 && segment[..6].SequenceEqual("Exif\0\0"u8))
                return ReadTiff(segment[6..]);
            pos += 2 + length;
        }
        return 1;
    }

    private static int ReadTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return 1;
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return 1;
        var ifd = U32(tiff, little, 4);
        if (ifd + 2 > (uint)tiff.Length) return 1;
        int entries = U16(tiff, little, (int)ifd);
        for (var i = 0; i < entries; i++)
        {
            var at = (int)ifd + 2 + i * 12;
            if (at + 12 > tiff.Length) return 1;
            if (U16(tiff, little, at) != 0x0112) continue;
            int value = U16(tiff, little, at + 8); // SHORT, count 1: stored in the first two bytes of the value field
            return value is >= 1 and <= 8 ? value : 1;
        }
        return 1;
    }

    private static ushort U16(ReadOnlySpan<byte> b, bool little, int at) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    private static uint U32(ReadOnlySpan<byte> b, bool little, int at) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);

    /// <summary>Width and height of the upright picture.</summary>
    public static (int Width, int Height) UprightSize(int width, int height, int orientation) =>
        orientation >= 5 ? (height, width) : (width, height);

    /// <summary>The upright picture: <paramref name="image"/> itself for orientation 1, otherwise a new image (the caller still owns <paramref name="image"/>).</summary>
    public static BgrImage Apply(BgrImage image, int orientation)
    {
        if (orientation is <= 1 or > 8) return image;
        var (w, h) = UprightSize(image.Width, image.Height, orientation);
        var result = BgrImage.Rent(w, h);
        var src = image.Pixels;
        var dst = result.Pixels;
        int sw = image.Width, sh = image.Height;
        for (var y = 0; y < h; y++)
        {
            var row = dst.Slice(y * w * 3, w * 3);
            for (var x = 0; x < w; x++)
            {
                // Where upright pixel (x, y) was stored, per the EXIF definitions of 2..8.
                var (sx, sy) = orientation switch
                {
                    2 => (sw - 1 - x, y),
                    3 => (sw - 1 - x, sh - 1 - y),
                    4 => (x, sh - 1 - y),
                    5 => (y, x),
                    6 => (y, sh - 1 - x),
                    7 => (sw - 1 - y, sh - 1 - x),
                    _ => (sw - 1 - y, x), // 8
                };
                var s = (sy * sw + sx) * 3;
                row[x * 3] = src[s];
                row[x * 3 + 1] = src[s + 1];
                row[x * 3 + 2] = src[s + 2];
            }
        }
        return result;
    }
}
