using System.Drawing;
using Router.Abstractions;

namespace Router.Models.Faces;

/// <summary>The face regions each attribute model was trained on, derived from the detector's box.</summary>
internal static class FaceCrops
{
    /// <summary>
    /// The box scaled by <paramref name="scale"/> about its centre, then shifted (not shrunk) to
    /// stay inside the image, and shrunk only when the image is too small — the vendor's crop for
    /// the age, gender, liveness and landmark models.
    /// </summary>
    public static RectangleF ScaledInside(BBox box, float scale, int imageWidth, int imageHeight)
    {
        float w = box.Width, h = box.Height;
        scale = MathF.Min(scale, MathF.Min((imageHeight - 1) / MathF.Max(h, 1), (imageWidth - 1) / MathF.Max(w, 1)));
        float nw = w * scale, nh = h * scale;
        float cx = box.Left + w / 2, cy = box.Top + h / 2;
        float l = cx - nw / 2, t = cy - nh / 2, r = cx + nw / 2, b = cy + nh / 2;
        if (l < 0) { r -= l; l = 0; }
        if (t < 0) { b -= t; t = 0; }
        if (r > imageWidth - 1) { l -= r - imageWidth + 1; r = imageWidth - 1; }
        if (b > imageHeight - 1) { t -= b - imageHeight + 1; b = imageHeight - 1; }
        l = MathF.Max(l, 0); t = MathF.Max(t, 0);
        return new RectangleF(l, t, MathF.Max(1, r - l), MathF.Max(1, b - t));
    }

    /// <summary>The box grown 1.2× to the right and down (the expression model's crop), clipped to the image.</summary>
    public static RectangleF GrownRightDown(BBox box, float factor, int imageWidth, int imageHeight)
    {
        float w = MathF.Min(box.Width * factor, imageWidth - box.Left), h = MathF.Min(box.Height * factor, imageHeight - box.Top);
        return new RectangleF(box.Left, box.Top, MathF.Max(1, w), MathF.Max(1, h));
    }

    /// <summary>The box grown by <paramref name="fraction"/> of its size on every side, clipped (the pose model's crop).</summary>
    public static RectangleF Grown(BBox box, float fraction, int imageWidth, int imageHeight)
    {
        float l = MathF.Max(0, box.Left - box.Width * fraction), t = MathF.Max(0, box.Top - box.Height * fraction);
        float r = MathF.Min(imageWidth, box.Right + box.Width * fraction), b = MathF.Min(imageHeight, box.Bottom + box.Height * fraction);
        return new RectangleF(l, t, MathF.Max(1, r - l), MathF.Max(1, b - t));
    }
}
