using System.Globalization;
using Router.Abstractions;

namespace Router.Host.Tracking;

/// <summary>
/// The roi camera setting: a rectangle in FindFace's "WxH+X+Y" form or a polygon
/// "x1,y1 x2,y2 x3,y3 ..." (pixels of the frame). A face is inside when its box centre is.
/// </summary>
public sealed class RegionOfInterest
{
    private readonly float[] _xs, _ys;

    private RegionOfInterest(float[] xs, float[] ys)
    {
        _xs = xs;
        _ys = ys;
    }

    public int Corners => _xs.Length;

    public static bool TryParse(string text, out RegionOfInterest? roi, out string error)
    {
        roi = null;
        error = "";
        text = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        int x = text.IndexOf('x');
        if (x > 0 && !text.Contains(','))
        {
            // WxH+X+Y
            var parts = text[(x + 1)..].Split('+');
            if (parts.Length == 3 && int.TryParse(text[..x], inv, out var w) && int.TryParse(parts[0], inv, out var h)
                && int.TryParse(parts[1], inv, out var left) && int.TryParse(parts[2], inv, out var top) && w > 0 && h > 0 && left >= 0 && top >= 0)
            {
                roi = new RegionOfInterest([left, left + w, left + w, left], [top, top, top + h, top + h]);
                return true;
            }
            error = "a rectangle is WxH+X+Y with positive width and height, e.g. 640x360+100+50";
            return false;
        }
        var points = text.Split([' ', ';'], StringSplitOptions.RemoveEmptyEntries);
        var xs = new float[points.Length];
        var ys = new float[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            var xy = points[i].Split(',');
            if (xy.Length != 2 || !float.TryParse(xy[0], NumberStyles.Float, inv, out xs[i]) || !float.TryParse(xy[1], NumberStyles.Float, inv, out ys[i]))
            {
                error = $"polygon point '{points[i]}' is not x,y";
                return false;
            }
        }
        if (points.Length < 3)
        {
            error = "a polygon needs at least 3 points \"x1,y1 x2,y2 x3,y3\"";
            return false;
        }
        roi = new RegionOfInterest(xs, ys);
        return true;
    }

    public static RegionOfInterest? ParseOrNull(string text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : TryParse(text, out var roi, out var error) ? roi : throw RouterException.BadParam("roi", text, error);

    public bool Contains(BBox box) => Contains((box.Left + box.Right) / 2f, (box.Top + box.Bottom) / 2f);

    /// <summary>Even-odd ray casting; works for rectangles and any simple polygon.</summary>
    public bool Contains(float px, float py)
    {
        bool inside = false;
        for (int i = 0, j = _xs.Length - 1; i < _xs.Length; j = i++)
        {
            if ((_ys[i] > py) != (_ys[j] > py) && px < (_xs[j] - _xs[i]) * (py - _ys[i]) / (_ys[j] - _ys[i]) + _xs[i])
                inside = !inside;
        }
        return inside;
    }
}
