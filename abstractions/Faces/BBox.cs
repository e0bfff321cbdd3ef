using System.Text.Json.Serialization;

namespace Router.Abstractions;

/// <summary>A face rectangle in pixels of the upright image: right and bottom are exclusive.</summary>
public readonly record struct BBox(int Left, int Top, int Right, int Bottom)
{
    // Derived, so not part of the JSON shape {left, top, right, bottom}.
    [JsonIgnore] public int Width => Right - Left;
    [JsonIgnore] public int Height => Bottom - Top;
    [JsonIgnore] public long Area => (long)Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Intersection over union, 0 when the boxes do not overlap.</summary>
    public double IoU(BBox other)
    {
        int l = Math.Max(Left, other.Left), t = Math.Max(Top, other.Top);
        int r = Math.Min(Right, other.Right), b = Math.Min(Bottom, other.Bottom);
        if (r <= l || b <= t) return 0;
        double inter = (double)(r - l) * (b - t);
        return inter / (Area + other.Area - inter);
    }
}
