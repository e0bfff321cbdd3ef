using System.Drawing;
using Router.Models.Imaging;

namespace Router.Models.Faces;

/// <summary>
/// Aligns a face to the 112×112 ArcFace template from three landmark-derived points: the
/// centres of the two eyes (means of the eyelid points 37,38,40,41 and 43,44,46,47 — the
/// lids locate the pupil better than the corners) and the nose tip (30). The transform is a
/// least-squares similarity, so the face keeps its proportions.
/// </summary>
public static class FaceAligner
{
    public const int Size = 112;

    private static readonly PointF[] Template = [new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f)];

    /// <summary>Eye centres (image-left eye first) and nose tip.</summary>
    public static void KeyPoints(ReadOnlySpan<PointF> landmarks, Span<PointF> points)
    {
        if (landmarks.Length != LandmarkDetector.Points) throw new ArgumentException($"expected {LandmarkDetector.Points} landmarks, got {landmarks.Length}", nameof(landmarks));
        points[0] = Mean(landmarks, 37, 38, 40, 41);
        points[1] = Mean(landmarks, 43, 44, 46, 47);
        points[2] = landmarks[30];
    }

    public static AffineMatrix ImageToTemplate(ReadOnlySpan<PointF> landmarks)
    {
        Span<PointF> points = stackalloc PointF[3];
        KeyPoints(landmarks, points);
        return AffineMatrix.Similarity(points, Template);
    }

    public static BgrImage Align(BgrImage image, ReadOnlySpan<PointF> landmarks) =>
        ImageOps.WarpAffine(image, ImageToTemplate(landmarks).Invert(), Size, Size);

    private static PointF Mean(ReadOnlySpan<PointF> p, int a, int b, int c, int d) =>
        new((p[a].X + p[b].X + p[c].X + p[d].X) / 4, (p[a].Y + p[b].Y + p[c].Y + p[d].Y) / 4);
}
