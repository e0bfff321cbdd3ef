using System.Drawing;

namespace Router.Models.Imaging;

/// <summary>A 2×3 affine transform: x' = A·x + B·y + C, y' = D·x + E·y + F.</summary>
public readonly record struct AffineMatrix(double A, double B, double C, double D, double E, double F)
{
    public PointF Apply(PointF p) => new((float)(A * p.X + B * p.Y + C), (float)(D * p.X + E * p.Y + F));

    public AffineMatrix Invert()
    {
        var det = A * E - B * D;
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException("affine transform is not invertible");
        var ia = E / det; var ib = -B / det; var id = -D / det; var ie = A / det;
        return new AffineMatrix(ia, ib, -(ia * C + ib * F), id, ie, -(id * C + ie * F));
    }

    /// <summary>
    /// The least-squares similarity transform (rotation, uniform scale, shift) that maps
    /// <paramref name="from"/> onto <paramref name="to"/> (Umeyama without reflection) — what
    /// ArcFace alignment uses, so the face keeps its proportions.
    /// </summary>
    public static AffineMatrix Similarity(ReadOnlySpan<PointF> from, ReadOnlySpan<PointF> to)
    {
        var n = from.Length;
        double mx = 0, my = 0, ux = 0, uy = 0;
        for (var i = 0; i < n; i++) { mx += from[i].X; my += from[i].Y; ux += to[i].X; uy += to[i].Y; }
        mx /= n; my /= n; ux /= n; uy /= n;
        double a = 0, b = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            double sx = from[i].X - mx, sy = from[i].Y - my, dx = to[i].X - ux, dy = to[i].Y - uy;
            a += sx * dx + sy * dy;
            b += sx * dy - sy * dx;
            norm += sx * sx + sy * sy;
        }
        if (norm < 1e-12) throw new InvalidOperationException("alignment points coincide");
        a /= norm; b /= norm; // scale·cos θ, scale·sin θ
        return new AffineMatrix(a, -b, ux - (a * mx - b * my), b, a, uy - (b * mx + a * my));
    }
}
