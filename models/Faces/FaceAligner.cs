using System.Drawing;
using Router.Models.Imaging;

namespace Router.Models.Faces;

/// <summary>
/// Aligns a face to the 112×112 ArcFace template from landmark-derived points: the centres of
/// the two eyes (means of the eyelid points 37,38,40,41 and 43,44,46,47 — the lids locate the
/// pupil better than the corners), the nose tip (30) and, with <see cref="AlignmentPoints.FivePoint"/>,
/// the mouth corners (48, 54). The transform is a least-squares similarity, so the face keeps
/// its proportions.
/// </summary>
public static class FaceAligner
{
    public const int Size = 112;

    private static readonly PointF[] Template =
        [new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f), new(41.5493f, 92.3655f), new(70.7299f, 92.2041f)];

    /// <summary>Eye centres (image-left eye first), nose tip, then the mouth corners (image-left first) where <paramref name="points"/> has room for five.</summary>
    public static void KeyPoints(ReadOnlySpan<PointF> landmarks, Span<PointF> points)
    {
        if (landmarks.Length != LandmarkDetector.Points) throw new ArgumentException($"expected {LandmarkDetector.Points} landmarks, got {landmarks.Length}", nameof(landmarks));
        points[0] = Mean(landmarks, 37, 38, 40, 41);
        points[1] = Mean(landmarks, 43, 44, 46, 47);
        points[2] = landmarks[30];
        if (points.Length < 5) return;
        points[3] = landmarks[48];
        points[4] = landmarks[54];
    }

    public static AffineMatrix ImageToTemplate(ReadOnlySpan<PointF> landmarks, AlignmentPoints mode = AlignmentPoints.EyesNose)
    {
        var count = mode == AlignmentPoints.FivePoint ? 5 : 3;
        Span<PointF> points = stackalloc PointF[count];
        KeyPoints(landmarks, points);
        return AffineMatrix.Similarity(points, Template.AsSpan(0, count));
    }

    public static BgrImage Align(BgrImage image, ReadOnlySpan<PointF> landmarks, AlignmentPoints mode = AlignmentPoints.EyesNose) =>
        ImageOps.WarpAffine(image, ImageToTemplate(landmarks, mode).Invert(), Size, Size);

    /// <summary>
    /// The template-to-image warp of the mirror image: template pixel x samples where x' = Size − 1 − x did,
    /// so the mirrored face is warped straight from the frame like the face itself.
    /// </summary>
    public static AffineMatrix Mirrored(AffineMatrix templateToImage)
    {
        var (a, b, c, d, e, f) = templateToImage;
        return new AffineMatrix(-a, b, a * (Size - 1) + c, -d, e, d * (Size - 1) + f);
    }

    private static PointF Mean(ReadOnlySpan<PointF> p, int a, int b, int c, int d) =>
        new((p[a].X + p[b].X + p[c].X + p[d].X) / 4, (p[a].Y + p[b].Y + p[c].Y + p[d].Y) / 4);
}
