using System.Buffers.Binary;
using Router.Abstractions;

namespace Router.Models.Imaging;

/// <summary>
/// Reads <see cref="ImageHeader"/> from the first bytes of a JPEG, PNG, GIF, BMP or WEBP, and
/// estimates the peak memory of its decode from what the decoders in this folder allocate
/// (stb_image 2022 for PNG/GIF/BMP, libwebp 1.2, libjpeg-turbo 2.1). The estimates are upper
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
        // Signature, then the IHDR chunk: length, "IHDR", width, height, depth, colour type, ...
        if (data.Length < 29 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new RouterException(ErrorCodes.MalformedRequest, "not a readable PNG: no IHDR header");
        var w = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var h = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        int depth = data[24], colorType = data[25];
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || depth is not (1 or 2 or 4 or 8 or 16) || w > int.MaxValue || h > int.MaxValue)
            throw new RouterException(ErrorCodes.MalformedRequest, $"not a readable PNG: colour type {colorType} at depth {depth}");
        // stb_image adds an alpha channel for a tRNS chunk and expands a palette to 3 or 4 channels.
        bool trns = HasPngChunk(data, "tRNS"u8);
        int outChannels = colorType == 3 ? (trns ? 4 : 3) : channels + (trns && colorType is 0 or 2 ? 1 : 0);
        long pixels = (long)w * h;
        int sampleBytes = depth == 16 ? 2 : 1;
        long raw = (long)h * (1 + ((long)w * channels * depth + 7) / 8);     // the inflated scanlines
        long image = pixels * outChannels * sampleBytes;                      // unfiltered, at the file's depth
        long rgb = pixels * 3 * sampleBytes;                                  // converted to 3 channels
        long peak = Math.Max(raw + image, image + rgb);
        if (depth == 16) peak = Math.Max(peak, rgb + 3 * pixels);           // 16 to 8 bits
        peak = Math.Max(peak, 6 * pixels);                                    // 8-bit RGB + the BGR result
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
        // stb_image sizes everything by the logical screen, whatever the frames: RGBA canvas,
        // RGBA background and a history byte a pixel (9), then the RGB copy (3).
        int w = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), h = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        return new ImageHeader(ImageFormat.Gif, w, h, 8, WithMargin(12L * w * h));
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
        // stb_image's RGB picture, then the BGR result.
        return new ImageHeader(ImageFormat.Bmp, (int)w, (int)h, 8, WithMargin(6 * w * h));
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
        return new ImageHeader(ImageFormat.Webp, w, h, 8, WithMargin((lossy ? 4 : 7) * pixels));
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
