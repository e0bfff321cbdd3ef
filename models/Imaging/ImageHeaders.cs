using System.Buffers.Binary;
using Router.Abstractions;

namespace Router.Models.Imaging;

/// <summary>
/// Reads <see cref="ImageHeader"/> from the first bytes of a JPEG, PNG, GIF, BMP or WEBP, and
/// estimates the peak memory of its decode from what the decoders in this folder allocate
/// (Skia m119 for PNG/GIF/BMP, libwebp 1.2, libjpeg-turbo 2.1). The estimates are upper
/// bounds checked against peak RSS (<c>tests/scripts/decode-memory.sh</c>); they count the BGR
/// result too, since it is held while the faces are analysed.
/// </summary>
public static class ImageHeaders
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The decoders' own row buffers and tables on top of the pictures counted: 2% and 1 MiB
    /// (measured peaks came within 0.05% of the pictures alone, see the tests).
    /// </summary>
    public static long WithMargin(long bytes) => bytes + bytes / 50 + (1 << 20);

    public static ImageHeader Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new RouterException(ErrorCodes.MalformedRequest, "image is empty");
        return ImageDecoder.Sniff(data) switch
        {
            ImageFormat.Jpeg => Jpeg(data),
            ImageFormat.Png => Png(data),
            ImageFormat.Gif => Gif(data),
            ImageFormat.Bmp => Bmp(data),
            ImageFormat.Webp => Webp(data),
            _ => throw new RouterException(ErrorCodes.MalformedRequest, "not an image: expected JPEG, PNG, WEBP, BMP or GIF bytes"),
        };
    }

    private static ImageHeader Jpeg(ReadOnlySpan<byte> data)
    {
        var (w, h) = JpegCodec.ReadSize(data);
        if (w <= 0 || h <= 0) throw new RouterException(ErrorCodes.MalformedRequest, "not a readable JPEG: the header is incomplete");
        long pixels = (long)w * h;
        // The BGR result; a progressive JPEG also holds every DCT coefficient (2 bytes a sample,
        // up to 3 samples a pixel); an EXIF rotation makes a second BGR picture.
        long bytes = 3 * pixels;
        if (IsProgressive(data)) bytes += 6 * pixels;
        if (ExifOrientation.Read(data) != 1) bytes += 3 * pixels;
        return new ImageHeader(ImageFormat.Jpeg, w, h, 8, WithMargin(bytes));
    }

    private static ImageHeader Png(ReadOnlySpan<byte> data)
    {
        // Signature, then the IHDR chunk: length, "IHDR", width, height, depth, colour type, compression, filter, interlace.
        if (data.Length < 29 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new RouterException(ErrorCodes.MalformedRequest, "not a readable PNG: no IHDR header");
        var w = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var h = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        int depth = data[24], colorType = data[25];
        bool interlaced = data[28] == 1;
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || depth is not (1 or 2 or 4 or 8 or 16) || w > int.MaxValue || h > int.MaxValue)
            throw new RouterException(ErrorCodes.MalformedRequest, $"not a readable PNG: colour type {colorType} at depth {depth}");
        long pixels = (long)w * h;
        // Skia decodes row by row into the 4-byte-a-pixel result, whatever the depth; an
        // interlaced (Adam7) PNG first inflates every pass into a whole picture at the file's
        // depth, counted with an alpha channel (a tRNS chunk adds one) and palettes at 1 byte.
        long peak = 4 * pixels;
        if (interlaced) peak += pixels * (channels + (HasPngChunk(data, "tRNS"u8) && colorType != 3 ? 1 : 0)) * (depth == 16 ? 2 : 1);
        if (ExifOrientation.Read(data) != 1) peak += 3 * pixels;
        return new ImageHeader(ImageFormat.Png, (int)w, (int)h, depth, WithMargin(peak));
    }

    /// <summary>Whether a chunk of this type comes before the image data.</summary>
    private static bool HasPngChunk(ReadOnlySpan<byte> data, ReadOnlySpan<byte> type)
    {
        var pos = 8L;
        while (pos + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)pos..]);
            var name = data.Slice((int)pos + 4, 4);
            if (name.SequenceEqual(type)) return true;
            if (name.SequenceEqual("IDAT"u8)) return false;
            pos += 12L + length;
        }
        return false;
    }

    private static ImageHeader Gif(ReadOnlySpan<byte> data)
    {
        if (data.Length < 10) throw new RouterException(ErrorCodes.MalformedRequest, "not a readable GIF: no logical screen descriptor");
        // Skia (wuffs) decodes the first frame straight into the result, sized by the logical
        // screen whatever the frame's own size.
        int w = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), h = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        return new ImageHeader(ImageFormat.Gif, w, h, 8, WithMargin(4L * w * h));
    }

    private static ImageHeader Bmp(ReadOnlySpan<byte> data)
    {
        if (data.Length < 26) throw new RouterException(ErrorCodes.MalformedRequest, "not a readable BMP: no info header");
        var infoSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        long w, h;
        if (infoSize == 12)
        {
            w = BinaryPrimitives.ReadUInt16LittleEndian(data[18..]);
            h = BinaryPrimitives.ReadUInt16LittleEndian(data[20..]);
        }
        else
        {
            w = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
            h = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..])); // negative: rows top-down
        }
        if (w <= 0 || h <= 0 || w > int.MaxValue || h > int.MaxValue)
            throw new RouterException(ErrorCodes.MalformedRequest, $"not a readable BMP: size {w}x{h}");
        // Skia decodes row by row into the 4-byte-a-pixel result.
        return new ImageHeader(ImageFormat.Bmp, (int)w, (int)h, 8, WithMargin(4 * w * h));
    }

    private static unsafe ImageHeader Webp(ReadOnlySpan<byte> data)
    {
        int w, h;
        fixed (byte* src = data)
        {
            if (WebP.WebPGetInfo(src, (nuint)data.Length, out w, out h) == 0)
                throw new RouterException(ErrorCodes.MalformedRequest, "not a readable WEBP");
        }
        // libwebp decodes straight into the BGR result; lossless (VP8L) keeps an ARGB picture
        // beside it, as does the extended format (VP8X: alpha, possibly lossless).
        bool lossy = data.Length >= 16 && data.Slice(12, 4).SequenceEqual("VP8 "u8);
        long pixels = (long)w * h;
        long peak = (lossy ? 4 : 7) * pixels;
        if (ExifOrientation.Read(data) != 1) peak += 3 * pixels;
        return new ImageHeader(ImageFormat.Webp, w, h, 8, WithMargin(peak));
    }

    /// <summary>Whether the JPEG's frame is progressive (SOF2, SOF6, SOF10, SOF14), which libjpeg decodes via a whole-image coefficient buffer.</summary>
    private static bool IsProgressive(ReadOnlySpan<byte> jpeg)
    {
        var pos = 2;
        while (pos + 4 <= jpeg.Length && jpeg[pos] == 0xFF)
        {
            var marker = jpeg[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7) { pos += 2; continue; }
            if (marker is 0xC2 or 0xC6 or 0xCA or 0xCE) return true;
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) return false; // another SOF
            if (marker is 0xDA or 0xD9) return false;
            pos += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg[(pos + 2)..]);
        }
        // Unreadable markers: count it as progressive, the larger cost.
        return true;
    }
}
