using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Router.Models.Imaging;

/// <summary>Channel swaps and grey conversion on packed 3-byte pixels.</summary>
public static class ColorConversions
{
    /// <summary>
    /// Drops the alpha byte of <paramref name="pixels"/> BGRA pixels in place, leaving them packed
    /// BGR at the start of the span. Pixel i moves from 4i to 3i: forward, every write lands
    /// below what is still to be read (a 16-byte store at 3i ends before 4i + 16, the next read).
    /// </summary>
    public static void PackBgraToBgr(Span<byte> buffer, int pixels)
    {
        if ((long)pixels * 4 > buffer.Length) throw new ArgumentOutOfRangeException(nameof(pixels));
        ref var b = ref MemoryMarshal.GetReference(buffer);
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var mask = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0xFF, 0xFF, 0xFF, 0xFF);
            // Four pixels a step; the 4 spare bytes of each 16-byte store are overwritten by the next
            // one, and the last full step stops where its store still fits in the 4-byte-a-pixel buffer.
            for (; i + 4 <= pixels; i += 4)
                Vector128.Shuffle(Vector128.LoadUnsafe(ref b, (nuint)i * 4), mask).StoreUnsafe(ref b, (nuint)i * 3);
        }
        for (; i < pixels; i++)
        {
            int s = i * 4, d = i * 3;
            byte blue = buffer[s], green = buffer[s + 1], red = buffer[s + 2];
            buffer[d] = blue;
            buffer[d + 1] = green;
            buffer[d + 2] = red;
        }
    }

    /// <summary>RGB→BGR or BGR→RGB; source and destination may be the same span.</summary>
    public static void SwapRedBlue(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var n = source.Length / 3;
        for (var i = 0; i < n; i++)
        {
            var o = i * 3;
            byte a = source[o], b = source[o + 1], c = source[o + 2];
            destination[o] = c;
            destination[o + 1] = b;
            destination[o + 2] = a;
        }
    }

    /// <summary>
    /// BT.601 luma (what OpenCV's COLOR_BGR2GRAY computes) in 14-bit fixed point, so the
    /// landmark and eye models see the grey values they were trained on.
    /// </summary>
    public static void ToGray(ReadOnlySpan<byte> bgr, Span<byte> gray)
    {
        const int B = 1868, G = 9617, R = 4899; // 0.114, 0.587, 0.299 × 16384
        var n = gray.Length;
        for (var i = 0; i < n; i++)
        {
            var o = i * 3;
            gray[i] = (byte)((bgr[o] * B + bgr[o + 1] * G + bgr[o + 2] * R + 8192) >> 14);
        }
    }

    public static void ToGray(BgrImage image, Span<byte> gray) => ToGray(image.Pixels, gray[..(image.Width * image.Height)]);
}
