using System.Buffers;
using System.Drawing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Router.Models.Imaging;

namespace Router.Models.Faces;

/// <summary>
/// Samples a region of a BGR frame straight into a model's planar float input: bilinear
/// resize (or affine warp), channel order and (v − mean) × scale in one pass, with no
/// intermediate <see cref="BgrImage"/>. The integer arithmetic is that of
/// <see cref="ImageOps.ResizeRegion(BgrImage, RectangleF, BgrImage)"/> and
/// <see cref="ImageOps.WarpAffine"/> (11-bit weights, the same rounding), so every sampled
/// pixel value equals the reference path's byte and the tensors match it to float rounding.
/// The resize is done separably — a horizontal pass per source row (cached, so a row shared
/// by two output rows is sampled once) into planar int rows, then a Vector256 vertical pass
/// that blends, rounds, converts and normalises. Exact because the 2×2 bilinear sum
/// factorises: Σ s·wx·wy = wt·(s00·wl + s01·wr) + wb·(s10·wl + s11·wr), and the largest
/// value (255 · 2048²) fits an int.
/// </summary>
public static class TensorSampler
{
    // The fixed point of Bilinear, which the edge pixels use: both paths must round alike.
    private const int Bits = Bilinear.Bits;
    private const int One = Bilinear.One;
    private const int Shift = Bilinear.Shift;
    private const int Half = Bilinear.Half;
    // BT.601 luma in 14-bit fixed point, as ColorConversions.ToGray.
    private const int GrayB = 1868, GrayG = 9617, GrayR = 4899, GrayShift = 14, GrayHalf = 8192;

    /// <summary>
    /// <paramref name="region"/> of <paramref name="source"/> (may reach outside it: black there)
    /// resampled to width × height, written as three planes in <paramref name="order"/>.
    /// </summary>
    /// <param name="mean">Per output plane, in pixel units 0..255.</param>
    /// <param name="scale">Per output plane multiplier.</param>
    public static void ResizeToPlanes(BgrImage source, RectangleF region, int width, int height, Span<float> destination,
        ChannelOrder order, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale) =>
        Resize(source, region, width, height, destination, order, mean, scale, gray: false);

    public static void ResizeToPlanes(BgrImage source, RectangleF region, int width, int height, Span<float> destination,
        ChannelOrder order, float mean, float scale) =>
        Resize(source, region, width, height, destination, order, [mean, mean, mean], [scale, scale, scale], gray: false);

    /// <summary>The same resample, converted to one BT.601 grey plane (the landmark and eye models' input).</summary>
    public static void ResizeToGray(BgrImage source, RectangleF region, int width, int height, Span<float> destination, float mean, float scale) =>
        Resize(source, region, width, height, destination, ChannelOrder.Bgr, [mean], [scale], gray: true);

    private static void Resize(BgrImage source, RectangleF region, int width, int height, Span<float> destination,
        ChannelOrder order, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, bool gray)
    {
        var planes = gray ? 1 : 3;
        if (destination.Length < planes * width * height) throw new ArgumentException($"destination holds {destination.Length} floats, needs {planes * width * height}", nameof(destination));
        int sw = source.Width, sh = source.Height, n = width * height;
        // Scratch: left/right tap byte offsets and weights per output column, and two cached
        // horizontal rows (planar B, G, R).
        var scratch = ArrayPool<int>.Shared.Rent(width * 10);
        try
        {
            var s = scratch.AsSpan();
            Span<int> left = s[..width], right = s.Slice(width, width), wl = s.Slice(2 * width, width), wr = s.Slice(3 * width, width);
            var sx = region.Width / width;
            for (var x = 0; x < width; x++)
            {
                // Same float expression as ImageOps.ResizeRegion, so the same taps and weights.
                var fx = region.X + (x + 0.5f) * sx - 0.5f;
                var x0 = (int)MathF.Floor(fx);
                var wx = (int)((fx - x0) * One);
                left[x] = Math.Clamp(x0, 0, sw - 1) * 3;
                right[x] = Math.Clamp(x0 + 1, 0, sw - 1) * 3;
                wl[x] = x0 >= 0 && x0 < sw ? One - wx : 0;
                wr[x] = x0 + 1 >= 0 && x0 + 1 < sw ? wx : 0;
            }
            int offA = 4 * width, offB = 7 * width, rowA = -1, rowB = -1;
            ReadOnlySpan<byte> src = source.Pixels;
            // Plane p of the output takes source channel ch[p] (0 = B, 1 = G, 2 = R).
            int c0 = order == ChannelOrder.Bgr ? 0 : 2, c2 = 2 - c0;
            Span<float> bias = stackalloc float[planes];
            for (var p = 0; p < planes; p++) bias[p] = -mean[p] * scale[p];
            var sy = region.Height / height;
            for (var y = 0; y < height; y++)
            {
                var fy = region.Y + (y + 0.5f) * sy - 0.5f;
                var y0 = (int)MathF.Floor(fy);
                var wy = (int)((fy - y0) * One);
                var wt = y0 >= 0 && y0 < sh ? One - wy : 0;
                var wb = y0 + 1 >= 0 && y0 + 1 < sh ? wy : 0;
                int ra = Math.Clamp(y0, 0, sh - 1), rb = Math.Clamp(y0 + 1, 0, sh - 1);
                if (rowA != ra)
                {
                    if (rowB == ra) { (offA, offB) = (offB, offA); (rowA, rowB) = (rowB, rowA); }
                    else { Horizontal(src.Slice(ra * sw * 3, sw * 3), left, right, wl, wr, s.Slice(offA, 3 * width)); rowA = ra; }
                }
                if (rowB != rb) { Horizontal(src.Slice(rb * sw * 3, sw * 3), left, right, wl, wr, s.Slice(offB, 3 * width)); rowB = rb; }
                ReadOnlySpan<int> top = s.Slice(offA, 3 * width), bottom = s.Slice(offB, 3 * width);
                if (gray) VerticalGray(top, bottom, width, wt, wb, destination.Slice(y * width, width), scale[0], bias[0]);
                else
                {
                    VerticalToFloat(top.Slice(c0 * width, width), bottom.Slice(c0 * width, width), wt, wb, destination.Slice(y * width, width), scale[0], bias[0]);
                    VerticalToFloat(top.Slice(width, width), bottom.Slice(width, width), wt, wb, destination.Slice(n + y * width, width), scale[1], bias[1]);
                    VerticalToFloat(top.Slice(c2 * width, width), bottom.Slice(c2 * width, width), wt, wb, destination.Slice(2 * n + y * width, width), scale[2], bias[2]);
                }
            }
        }
        finally { ArrayPool<int>.Shared.Return(scratch); }
    }

    /// <summary>One source row blended horizontally into planar B, G, R ints (weights sum ≤ 2048).</summary>
    private static void Horizontal(ReadOnlySpan<byte> row, ReadOnlySpan<int> left, ReadOnlySpan<int> right,
        ReadOnlySpan<int> wl, ReadOnlySpan<int> wr, Span<int> planar)
    {
        var width = left.Length;
        if (planar.Length < 3 * width || wl.Length < width || wr.Length < width || right.Length < width) throw new ArgumentException("scratch too short");
        // Unchecked refs: this loop is most of the detector's preprocessing. Safe by construction:
        // Resize clamps every offset into 0 .. (width − 1) × 3 of a row of the same source.
        ref var src = ref MemoryMarshal.GetReference(row);
        ref var l0 = ref MemoryMarshal.GetReference(left);
        ref var r0 = ref MemoryMarshal.GetReference(right);
        ref var a0 = ref MemoryMarshal.GetReference(wl);
        ref var c0 = ref MemoryMarshal.GetReference(wr);
        ref var b = ref MemoryMarshal.GetReference(planar);
        ref var g = ref Unsafe.Add(ref b, width);
        ref var r = ref Unsafe.Add(ref b, 2 * width);
        for (var x = 0; x < width; x++)
        {
            int l = Unsafe.Add(ref l0, x), rt = Unsafe.Add(ref r0, x), a = Unsafe.Add(ref a0, x), c = Unsafe.Add(ref c0, x);
            Unsafe.Add(ref b, x) = Unsafe.Add(ref src, l) * a + Unsafe.Add(ref src, rt) * c;
            Unsafe.Add(ref g, x) = Unsafe.Add(ref src, l + 1) * a + Unsafe.Add(ref src, rt + 1) * c;
            Unsafe.Add(ref r, x) = Unsafe.Add(ref src, l + 2) * a + Unsafe.Add(ref src, rt + 2) * c;
        }
    }

    /// <summary>(top·wt + bottom·wb + ½) ≫ 22 — the reference's rounded byte — as float, × scale + bias.</summary>
    private static void VerticalToFloat(ReadOnlySpan<int> top, ReadOnlySpan<int> bottom, int wt, int wb, Span<float> destination, float scale, float bias)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> vt = Vector256.Create(wt), vb = Vector256.Create(wb), half = Vector256.Create(Half);
            Vector256<float> vs = Vector256.Create(scale), vbias = Vector256.Create(bias);
            for (; i <= top.Length - 8; i += 8)
            {
                var v = Vector256.ShiftRightArithmetic(Vector256.Create(top[i..]) * vt + Vector256.Create(bottom[i..]) * vb + half, Shift);
                // Multiply then add (not FMA), as TensorPacking's reference normalisation rounds.
                (Vector256.ConvertToSingle(v) * vs + vbias).CopyTo(destination[i..]);
            }
        }
        for (; i < top.Length; i++)
            destination[i] = ((top[i] * wt + bottom[i] * wb + Half) >> Shift) * scale + bias;
    }

    /// <summary>
    /// Planar B, G, R rows blended vertically (each rounded to the reference's byte), then BT.601
    /// grey with its own rounding, then float — one loop, no intermediate row.
    /// </summary>
    private static void VerticalGray(ReadOnlySpan<int> top, ReadOnlySpan<int> bottom, int width, int wt, int wb, Span<float> destination, float scale, float bias)
    {
        ReadOnlySpan<int> tb = top[..width], tg = top.Slice(width, width), tr = top.Slice(2 * width, width);
        ReadOnlySpan<int> bb = bottom[..width], bg = bottom.Slice(width, width), br = bottom.Slice(2 * width, width);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> vt = Vector256.Create(wt), vb = Vector256.Create(wb), half = Vector256.Create(Half);
            Vector256<int> kb = Vector256.Create(GrayB), kg = Vector256.Create(GrayG), kr = Vector256.Create(GrayR), gh = Vector256.Create(GrayHalf);
            Vector256<float> vs = Vector256.Create(scale), vbias = Vector256.Create(bias);
            for (; i <= width - 8; i += 8)
            {
                var b = Vector256.ShiftRightArithmetic(Vector256.Create(tb[i..]) * vt + Vector256.Create(bb[i..]) * vb + half, Shift);
                var g = Vector256.ShiftRightArithmetic(Vector256.Create(tg[i..]) * vt + Vector256.Create(bg[i..]) * vb + half, Shift);
                var r = Vector256.ShiftRightArithmetic(Vector256.Create(tr[i..]) * vt + Vector256.Create(br[i..]) * vb + half, Shift);
                var v = Vector256.ShiftRightArithmetic(b * kb + g * kg + r * kr + gh, GrayShift);
                (Vector256.ConvertToSingle(v) * vs + vbias).CopyTo(destination[i..]);
            }
        }
        for (; i < width; i++)
        {
            int b = (tb[i] * wt + bb[i] * wb + Half) >> Shift, g = (tg[i] * wt + bg[i] * wb + Half) >> Shift, r = (tr[i] * wt + br[i] * wb + Half) >> Shift;
            destination[i] = ((b * GrayB + g * GrayG + r * GrayR + GrayHalf) >> GrayShift) * scale + bias;
        }
    }

    /// <summary>
    /// Output pixel (x, y) takes the bilinear sample of the source at
    /// <paramref name="destinationToSource"/>(x, y) (black outside), written as planes in
    /// <paramref name="order"/> — <see cref="ImageOps.WarpAffine"/> fused with the normalisation,
    /// for the 112×112 aligned face that only the embedder reads.
    /// </summary>
    public static void WarpToPlanes(BgrImage source, AffineMatrix destinationToSource, int width, int height, Span<float> destination,
        ChannelOrder order, float mean, float scale)
    {
        var n = width * height;
        if (destination.Length < 3 * n) throw new ArgumentException($"destination holds {destination.Length} floats, needs {3 * n}", nameof(destination));
        ReadOnlySpan<byte> src = source.Pixels;
        int sw = source.Width, sh = source.Height, stride = sw * 3;
        int c0 = order == ChannelOrder.Bgr ? 0 : 2, c2 = 2 - c0;
        var bias = -mean * scale;
        var m = destinationToSource;
        var p0 = destination[..n];
        var p1 = destination.Slice(n, n);
        var p2 = destination.Slice(2 * n, n);
        Span<int> px = stackalloc int[3];
        for (var y = 0; y < height; y++)
        {
            // Same double expressions as ImageOps.WarpAffine: the same taps and weights.
            for (var x = 0; x < width; x++)
            {
                var fx = m.A * x + m.B * y + m.C;
                var fy = m.D * x + m.E * y + m.F;
                var x0 = (int)Math.Floor(fx); var y0 = (int)Math.Floor(fy);
                var wx = (int)((fx - x0) * One); var wy = (int)((fy - y0) * One);
                if ((uint)x0 < (uint)(sw - 1) && (uint)y0 < (uint)(sh - 1))
                {
                    // All four taps inside: the common case, no per-tap tests.
                    int w00 = (One - wx) * (One - wy), w01 = wx * (One - wy), w10 = (One - wx) * wy, w11 = wx * wy;
                    var o = y0 * stride + x0 * 3;
                    for (var c = 0; c < 3; c++)
                        px[c] = (src[o + c] * w00 + src[o + 3 + c] * w01 + src[o + stride + c] * w10 + src[o + stride + 3 + c] * w11 + Half) >> Shift;
                }
                else Bilinear.Sample(src, sw, sh, x0, y0, wx, wy, px);
                var i = y * width + x;
                p0[i] = px[c0] * scale + bias;
                p1[i] = px[1] * scale + bias;
                p2[i] = px[c2] * scale + bias;
            }
        }
    }
}
