using System.Buffers;
using System.Drawing;

namespace Router.Models.Imaging;

/// <summary>
/// Geometry on BGR images into pooled results: bilinear resize of any region (parts outside
/// the image read as black), crops and affine warps. Coordinates are in pixel units with
/// pixel centres at +0.5, as OpenCV's resize does. Weights are 11-bit fixed point and the
/// per-column source offsets are computed once per call, not per pixel.
/// </summary>
public static class ImageOps
{
    private const int One = Bilinear.One;

    public static BgrImage Resize(BgrImage source, int width, int height) =>
        ResizeRegion(source, new RectangleF(0, 0, source.Width, source.Height), width, height);

    /// <summary>Crops exactly (no resampling); the rectangle is clamped to the image.</summary>
    public static BgrImage Crop(BgrImage source, Rectangle region)
    {
        var r = Rectangle.Intersect(region, new Rectangle(0, 0, source.Width, source.Height));
        if (r.Width <= 0 || r.Height <= 0) throw new ArgumentException($"crop {region} lies outside the {source.Width}x{source.Height} image");
        var result = BgrImage.Rent(r.Width, r.Height);
        for (var y = 0; y < r.Height; y++)
            source.Row(r.Y + y).Slice(r.X * 3, r.Width * 3).CopyTo(result.Row(y));
        return result;
    }

    /// <summary>Pastes <paramref name="patch"/> with its top-left at (x, y), clipped to the canvas.</summary>
    public static void Paste(BgrImage canvas, BgrImage patch, int x, int y)
    {
        for (var py = 0; py < patch.Height; py++)
        {
            var cy = y + py;
            if (cy < 0 || cy >= canvas.Height) continue;
            var x0 = Math.Max(0, x); var x1 = Math.Min(canvas.Width, x + patch.Width);
            if (x1 <= x0) return;
            patch.Row(py).Slice((x0 - x) * 3, (x1 - x0) * 3).CopyTo(canvas.Row(cy)[(x0 * 3)..]);
        }
    }

    /// <summary>Resamples <paramref name="region"/> (may reach outside the image) to width × height.</summary>
    public static BgrImage ResizeRegion(BgrImage source, RectangleF region, int width, int height)
    {
        var result = BgrImage.Rent(width, height);
        ResizeRegion(source, region, result);
        return result;
    }

    public static void ResizeRegion(BgrImage source, RectangleF region, BgrImage destination)
    {
        int width = destination.Width, height = destination.Height, sw = source.Width, sh = source.Height;
        var columns = ArrayPool<int>.Shared.Rent(width * 3);
        try
        {
            // For each output column: the left source column (-1 when outside) and its weight pair.
            var sx = region.Width / width;
            for (var x = 0; x < width; x++)
            {
                var fx = region.X + (x + 0.5f) * sx - 0.5f;
                var x0 = (int)MathF.Floor(fx);
                columns[x * 3] = x0;
                columns[x * 3 + 1] = (int)((fx - x0) * One);
            }
            var src = source.Pixels;
            Span<int> px = stackalloc int[3];
            var sy = region.Height / height;
            for (var y = 0; y < height; y++)
            {
                var fy = region.Y + (y + 0.5f) * sy - 0.5f;
                var y0 = (int)MathF.Floor(fy);
                var wy = (int)((fy - y0) * One);
                var row = destination.Row(y);
                for (var x = 0; x < width; x++)
                {
                    Bilinear.Sample(src, sw, sh, columns[x * 3], y0, columns[x * 3 + 1], wy, px);
                    row[x * 3] = (byte)px[0]; row[x * 3 + 1] = (byte)px[1]; row[x * 3 + 2] = (byte)px[2];
                }
            }
        }
        finally { ArrayPool<int>.Shared.Return(columns); }
    }

    /// <summary>
    /// Output pixel (x, y) takes the bilinear sample of the source at
    /// <paramref name="destinationToSource"/>(x, y); outside the source is black.
    /// </summary>
    public static BgrImage WarpAffine(BgrImage source, AffineMatrix destinationToSource, int width, int height)
    {
        var result = BgrImage.Rent(width, height);
        var src = source.Pixels;
        int sw = source.Width, sh = source.Height;
        var m = destinationToSource;
        Span<int> px = stackalloc int[3];
        for (var y = 0; y < height; y++)
        {
            var row = result.Row(y);
            for (var x = 0; x < width; x++)
            {
                var fx = m.A * x + m.B * y + m.C;
                var fy = m.D * x + m.E * y + m.F;
                var x0 = (int)Math.Floor(fx); var y0 = (int)Math.Floor(fy);
                var wx = (int)((fx - x0) * One); var wy = (int)((fy - y0) * One);
                Bilinear.Sample(src, sw, sh, x0, y0, wx, wy, px);
                row[x * 3] = (byte)px[0]; row[x * 3 + 1] = (byte)px[1]; row[x * 3 + 2] = (byte)px[2];
            }
        }
        return result;
    }
}
