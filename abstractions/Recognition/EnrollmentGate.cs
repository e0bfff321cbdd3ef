namespace Router.Abstractions;

/// <summary>
/// Whether a detected face is good enough to enroll into a gallery: an enrolled face is compared
/// with every face that comes later, so a poor one makes confident false matches and misses for
/// as long as it is stored. Applied where gallery administrators add faces (the HTTP API), and
/// overridden there with <c>"force": true</c>.
/// </summary>
public static class EnrollmentGate
{
    /// <summary>
    /// Smallest face (the box's larger side, px) to enroll: 60. With router eval on LFW's
    /// development photos degraded like camera frames, faces of about 65 px kept the calibration
    /// (the threshold for FAR 1e-5 stayed at 0.48) and TAR 84% at it; at 45 px TAR fell to 65%, and at
    /// 32 px to 22% with the impostor scores rising above the calibration. Enrollment is stricter than
    /// posting (40 px): a camera face is searched once, an enrolled one for ever.
    /// </summary>
    public const int MinFaceSize = 60;

    public const string Code = "ENROLLMENT_REFUSED";

    /// <summary>Why <paramref name="face"/> should not be enrolled, or null when it may.</summary>
    public static string? Refusal(DetectFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        var size = Math.Max(face.BBox.Width, face.BBox.Height);
        if (size < MinFaceSize)
            return $"the face is {size} px, under the {MinFaceSize} px needed to recognise it reliably (below that same-person scores fall and " +
                   "different people score higher); enroll a larger photo of the face, or add \"force\": true to enroll it anyway";
        return null;
    }
}
