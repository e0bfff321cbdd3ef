using Router.Abstractions;
using Router.Models.Imaging;

namespace Router.Models.Faces;

/// <summary>
/// Face quality for recognition in 0..1 and the traits that lowered it, from cheap signals on
/// the aligned 112×112 face: size of the detected box, sharpness (variance of the Laplacian of
/// the grey face), brightness (mean luma of the face's centre), head pose and closed eyes.
/// The score is the product of per-signal factors, so one bad signal is enough to sink it.
/// </summary>
public static class QualityEstimator
{
    /// <summary>Boxes narrower than this are too small for a reliable embedding.</summary>
    public const int SmallFace = 48;
    /// <summary>Boxes from this width on get the full size factor.</summary>
    public const int GoodFace = 96;
    /// <summary>
    /// Laplacian variance of the aligned grey face below which it counts as blurred. Measured on
    /// the sample faces: sharp stills 125–485; the same faces in the H.264 demo clip at 720p
    /// (100–200 px) 86–636; shrunk 2× and enlarged back 169–241; 4× 73–90; 8× 20–24. So the
    /// trait marks 4× and worse, and the score gets full credit from <see cref="SharpVariance"/>,
    /// where compressed video faces that recognise well already are. (A first calibration on stills
    /// alone, full credit at 400, marked most video faces as blurred.)
    /// </summary>
    public const float BlurVariance = 100f;
    /// <summary>Laplacian variance from which sharpness no longer lowers the score.</summary>
    public const float SharpVariance = 160f;
    /// <summary>Variance of a face with no detail left (the 8× case): the sharpness factor bottoms out here.</summary>
    private const float FlatVariance = 20f;
    public const float DarkLuma = 60f, BrightLuma = 200f;
    public const float YawLimit = 30f, PitchLimit = 25f;

    public static FaceQuality Estimate(BBox box, BgrImage alignedFace, HeadPose pose, EyesState? eyes)
    {
        Span<byte> gray = stackalloc byte[FaceAligner.Size * FaceAligner.Size];
        ColorConversions.ToGray(alignedFace, gray);
        var sharpness = LaplacianVariance(gray, FaceAligner.Size);
        var luma = CentreMean(gray, FaceAligner.Size);
        var traits = new List<string>();
        var score = 1f;

        var side = Math.Min(box.Width, box.Height);
        if (side < SmallFace) traits.Add(QualityTraits.TooSmall);
        score *= Math.Clamp((side - 16f) / (GoodFace - 16f), 0.05f, 1f);

        if (sharpness < BlurVariance) traits.Add(QualityTraits.Blurred);
        score *= Math.Clamp((sharpness - FlatVariance) / (SharpVariance - FlatVariance), 0.05f, 1f);

        if (luma < DarkLuma) traits.Add(QualityTraits.TooDark);
        if (luma > BrightLuma) traits.Add(QualityTraits.TooBright);
        score *= luma < DarkLuma ? Math.Clamp(luma / DarkLuma, 0.05f, 1f) : luma > BrightLuma ? Math.Clamp((255 - luma) / (255 - BrightLuma), 0.05f, 1f) : 1f;

        // Positive yaw turns the face to the image's left, i.e. the person looks to their right.
        if (pose.Yaw > YawLimit) traits.Add(QualityTraits.LookingRight);
        if (pose.Yaw < -YawLimit) traits.Add(QualityTraits.LookingLeft);
        if (pose.Pitch > PitchLimit) traits.Add(QualityTraits.LookingUp);
        if (pose.Pitch < -PitchLimit) traits.Add(QualityTraits.LookingDown);
        // The penalty starts well inside the trait limits' slack: the landmark pose estimate used
        // when the pose model was not asked for is off by up to ~35° on tilted heads, and the
        // embedding still matches at moderate turns.
        score *= Math.Clamp(1 - Math.Max(0, Math.Abs(pose.Yaw) - 20) / 60f, 0.05f, 1f);
        score *= Math.Clamp(1 - Math.Max(0, Math.Abs(pose.Pitch) - 15) / 45f, 0.05f, 1f);

        if (eyes is { LeftClosed: true, RightClosed: true })
        {
            traits.Add(QualityTraits.EyesClosed);
            score *= 0.5f;
        }
        return new FaceQuality(Math.Clamp(score, 0f, 1f), traits);
    }

    /// <summary>Variance of the 4-neighbour Laplacian over the interior: low on blurred faces.</summary>
    public static float LaplacianVariance(ReadOnlySpan<byte> gray, int size)
    {
        double sum = 0, sumSq = 0;
        var n = 0;
        for (var y = 1; y < size - 1; y++)
            for (var x = 1; x < size - 1; x++)
            {
                var i = y * size + x;
                int l = gray[i - 1] + gray[i + 1] + gray[i - size] + gray[i + size] - 4 * gray[i];
                sum += l; sumSq += l * l; n++;
            }
        var mean = sum / n;
        return (float)(sumSq / n - mean * mean);
    }

    /// <summary>Mean luma of the middle half of the aligned face (skin, not background or hair).</summary>
    private static float CentreMean(ReadOnlySpan<byte> gray, int size)
    {
        long sum = 0; var n = 0;
        for (var y = size / 4; y < size * 3 / 4; y++)
            for (var x = size / 4; x < size * 3 / 4; x++) { sum += gray[y * size + x]; n++; }
        return (float)sum / n;
    }
}
