using Router.Abstractions;

namespace Router.Models.Imaging;

/// <summary>
/// Decodes JPEG (libturbojpeg), PNG/BMP/GIF (Skia's codecs) and WEBP (libwebp) to upright BGR,
/// picking the decoder by magic bytes rather than by file name. Bytes that are none of these,
/// or that a decoder rejects, are MALFORMED_REQUEST. The header is read first
/// (<see cref="ImageHeaders"/>) and a picture over the pixel or memory limit of
/// <see cref="DecodeLimits"/> is BAD_PARAM before any pixel memory is taken.
/// </summary>
public static unsafe class ImageDecoder
{
    // Not a u8 string literal: "\x89" there would be the two UTF-8 bytes of U+0089.
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageFormat Sniff(ReadOnlySpan<byte> data)
    {
        if (JpegCodec.IsJpeg(data)) return ImageFormat.Jpeg;
        if (data.Length >= 8 && data[..8].SequenceEqual(PngSignature)) return ImageFormat.Png;
        if (data.Length >= 6 && (data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8))) return ImageFormat.Gif;
        if (data.Length >= 14 && data[0] == 'B' && data[1] == 'M') return ImageFormat.Bmp;
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8)) return ImageFormat.Webp;
        return ImageFormat.Unknown;
    }

    public static DecodedImage Decode(ReadOnlySpan<byte> data) => Decode(data, DecodeLimits.Default);

    public static DecodedImage Decode(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var header = ImageHeaders.Read(data);
        limits.Check(header);
        return Decode(data, header);
    }

    /// <summary>Decodes bytes whose header the caller has read and checked against its limits.</summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, in ImageHeader header)
    {
        var format = header.Format;
        BgrImage stored = format switch
        {
            ImageFormat.Jpeg => JpegCodec.Decode(data),
            ImageFormat.Png or ImageFormat.Bmp or ImageFormat.Gif => SkiaCodec.Decode(data, header),
            ImageFormat.Webp => DecodeWebp(data),
            _ => throw new RouterException(ErrorCodes.MalformedRequest, "not an image: expected JPEG, PNG, WEBP, BMP or GIF bytes"),
        };
        var orientation = ExifOrientation.Read(data);
        if (orientation == 1) return new DecodedImage(stored, format, 1);
        try { return new DecodedImage(ExifOrientation.Apply(stored, orientation), format, orientation); }
        finally { stored.Dispose(); }
    }

    /// <summary>
    /// The decoder's own idea of the size must be the header's: the limits were checked on that.
    /// </summary>
    private static void CheckSize(int width, int height, ImageFormat format)
    {
        if (width <= 0 || height <= 0)
            throw new RouterException(ErrorCodes.MalformedRequest, $"{format} image has no pixels ({width}x{height})");
        if ((long)width * height > BgrImage.MaxPixels)
            throw RouterException.BadParam("image", $"{width}x{height}", $"image of {width}x{height} is over the {BgrImage.MaxPixels} pixel limit");
    }

    private static BgrImage DecodeWebp(ReadOnlySpan<byte> data)
    {
        fixed (byte* src = data)
        {
            if (WebP.WebPGetInfo(src, (nuint)data.Length, out var w, out var h) == 0)
                throw new RouterException(ErrorCodes.MalformedRequest, "not a readable WEBP");
            CheckSize(w, h, ImageFormat.Webp);
            var image = BgrImage.Rent(w, h);
            fixed (byte* dst = image.Pixels)
            {
                if (WebP.WebPDecodeBGRInto(src, (nuint)data.Length, dst, (nuint)image.Length, image.Stride) == null)
                {
                    image.Dispose();
                    throw new RouterException(ErrorCodes.MalformedRequest, "corrupt or truncated WEBP");
                }
            }
            return image;
        }
    }
}
