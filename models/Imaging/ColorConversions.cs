namespace Router.Models.Imaging;

/// <summary>Channel swaps and grey conversion on packed 3-byte pixels.</summary>
public static class ColorConversions
{
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
