using System.Collections.Concurrent;
using Router.Abstractions;

namespace Router.Models.Imaging;

/// <summary>
/// JPEG decode and encode through libturbojpeg. TurboJPEG handles are not thread-safe, so
/// each call borrows one from a small pool instead of creating one per call.
/// </summary>
public static unsafe class JpegCodec
{
    private static readonly ConcurrentBag<nint> Decoders = new();
    private static readonly ConcurrentBag<nint> Encoders = new();

    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>Width and height from the JPEG header; MALFORMED_REQUEST when it is not a readable JPEG.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        var h = Borrow(Decoders, decode: true);
        try
        {
            fixed (byte* src = jpeg)
            {
                if (TurboJpeg.tjDecompressHeader3(h, src, (nuint)jpeg.Length, out int w, out int ht, out _, out _) != 0)
                    throw Malformed(h);
                return (w, ht);
            }
        }
        finally { Decoders.Add(h); }
    }

    /// <summary>
    /// Decodes to BGR. A truncated or corrupt JPEG is MALFORMED_REQUEST: a half-grey picture
    /// would silently give wrong faces.
    /// </summary>
    public static BgrImage Decode(ReadOnlySpan<byte> jpeg) => DecodeScaled(jpeg, 1);

    /// <summary>
    /// Decodes at 1/<paramref name="denominator"/> of the size (1, 2, 4 or 8), which libjpeg-turbo
    /// does in the IDCT and so costs a fraction of a full decode. Not used by the face path: the
    /// landmark and embedding crops need full resolution, and the detector's input from a scaled
    /// decode differs from the resize of the full frame (it is smoother), which moves scores.
    /// For callers that only ever need a small picture (thumbnails, a detector-only stream).
    /// </summary>
    public static BgrImage DecodeScaled(ReadOnlySpan<byte> jpeg, int denominator)
    {
        if (denominator is not (1 or 2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(denominator), "JPEG scaled decode supports 1, 2, 4 or 8");
        var h = Borrow(Decoders, decode: true);
        try
        {
            fixed (byte* src = jpeg)
            {
                if (TurboJpeg.tjDecompressHeader3(h, src, (nuint)jpeg.Length, out int w, out int ht, out _, out _) != 0)
                    throw Malformed(h);
                // A JPEG cut inside its header can parse as 0×0: that is a malformed image, not a size error.
                if (w <= 0 || ht <= 0)
                    throw new RouterException(ErrorCodes.MalformedRequest, "not a readable JPEG: the header is incomplete");
                if ((long)w * ht > BgrImage.MaxPixels)
                    throw RouterException.BadParam("image", $"{w}x{ht}", $"image of {w}x{ht} is over the {BgrImage.MaxPixels} pixel limit");
                w = (w + denominator - 1) / denominator;
                ht = (ht + denominator - 1) / denominator;
                var image = BgrImage.Rent(w, ht);
                fixed (byte* dst = image.Pixels)
                {
                    if (TurboJpeg.tjDecompress2(h, src, (nuint)jpeg.Length, dst, w, image.Stride, ht, TurboJpeg.PixelFormatBgr, 0) != 0)
                    {
                        var error = TurboJpeg.ErrorOf(h);
                        // Warnings about extraneous bytes are harmless; a premature end or a fatal error is not.
                        if (TurboJpeg.tjGetErrorCode(h) == TurboJpeg.ErrorFatal || error.Contains("Premature end", StringComparison.OrdinalIgnoreCase)
                            || error.Contains("Corrupt", StringComparison.OrdinalIgnoreCase))
                        {
                            image.Dispose();
                            throw new RouterException(ErrorCodes.MalformedRequest, $"corrupt or truncated JPEG: {error}");
                        }
                    }
                }
                return image;
            }
        }
        finally { Decoders.Add(h); }
    }

    /// <summary>Encodes BGR pixels as a 4:2:0 JPEG of the given quality (1..100).</summary>
    public static byte[] Encode(BgrImage image, int quality = 90) => Encode(image.Pixels, image.Width, image.Height, quality);

    public static byte[] Encode(ReadOnlySpan<byte> bgr, int width, int height, int quality = 90)
    {
        if (quality is < 1 or > 100) throw RouterException.BadParam("jpeg_quality", quality, "JPEG quality must be 1..100");
        if (bgr.Length < width * height * 3) throw new ArgumentException("buffer smaller than width × height × 3", nameof(bgr));
        var h = Borrow(Encoders, decode: false);
        var capacity = (int)TurboJpeg.tjBufSize(width, height, TurboJpeg.Subsampling420);
        // Like BgrImage: a buffer for a picture bigger than a 4K frame is not kept in the pool.
        var pooled = capacity <= BgrImage.MaxPooledBytes;
        var output = pooled ? System.Buffers.ArrayPool<byte>.Shared.Rent(capacity) : GC.AllocateUninitializedArray<byte>(capacity);
        try
        {
            fixed (byte* src = bgr)
            fixed (byte* dst = output)
            {
                byte* p = dst;
                nuint size = (nuint)capacity;
                if (TurboJpeg.tjCompress2(h, src, width, width * 3, height, TurboJpeg.PixelFormatBgr, &p, &size,
                        TurboJpeg.Subsampling420, quality, TurboJpeg.FlagNoRealloc) != 0)
                    throw new RouterException(ErrorCodes.UnknownError, "JPEG encoding failed: " + TurboJpeg.ErrorOf(h));
                return output.AsSpan(0, (int)size).ToArray();
            }
        }
        finally
        {
            if (pooled) System.Buffers.ArrayPool<byte>.Shared.Return(output);
            Encoders.Add(h);
        }
    }

    private static nint Borrow(ConcurrentBag<nint> pool, bool decode)
    {
        if (pool.TryTake(out var h)) return h;
        h = decode ? TurboJpeg.tjInitDecompress() : TurboJpeg.tjInitCompress();
        if (h == 0) throw new RouterException(ErrorCodes.UnknownError, "libturbojpeg could not be initialised (is libturbojpeg0 installed?)");
        return h;
    }

    private static RouterException Malformed(nint h) =>
        new(ErrorCodes.MalformedRequest, "not a readable JPEG: " + TurboJpeg.ErrorOf(h));
}
