using System.Runtime.CompilerServices;

namespace Router.Models.Imaging;

/// <summary>
/// The fixed-point bilinear sample that the image operations and the fused tensor samplers share,
/// so that a resized image and a tensor packed straight from the frame hold the same values.
/// </summary>
internal static class Bilinear
{
    public const int Bits = 11;
    public const int One = 1 << Bits;
    public const int Shift = 2 * Bits;
    public const int Half = 1 << (Shift - 1);

    /// <summary>
    /// The BGR sample at source pixel (x0 + wx/One, y0 + wy/One) of a packed BGR24 image;
    /// neighbours outside the source count as black.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sample(ReadOnlySpan<byte> src, int sw, int sh, int x0, int y0, int wx, int wy, Span<int> bgr)
    {
        bool left = (uint)x0 < (uint)sw, right = (uint)(x0 + 1) < (uint)sw, top = (uint)y0 < (uint)sh, bottom = (uint)(y0 + 1) < (uint)sh;
        int w00 = (One - wx) * (One - wy), w01 = wx * (One - wy), w10 = (One - wx) * wy, w11 = wx * wy;
        int r0 = y0 * sw * 3, r1 = (y0 + 1) * sw * 3;
        for (var c = 0; c < 3; c++)
        {
            var acc = 0;
            if (top && left) acc += src[r0 + x0 * 3 + c] * w00;
            if (top && right) acc += src[r0 + (x0 + 1) * 3 + c] * w01;
            if (bottom && left) acc += src[r1 + x0 * 3 + c] * w10;
            if (bottom && right) acc += src[r1 + (x0 + 1) * 3 + c] * w11;
            bgr[c] = (acc + Half) >> Shift;
        }
    }
}
