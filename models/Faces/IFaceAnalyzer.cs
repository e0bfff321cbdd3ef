using System.Drawing;
using Router.Abstractions;
using Router.Models.Imaging;

namespace Router.Models.Faces;

/// <summary>
/// The face models behind one seam: detection, landmarks, alignment and the per-face
/// models. Implementations are safe to call from several threads at once.
/// </summary>
public interface IFaceAnalyzer
{
    /// <summary>Faces in an upright BGR image, highest score first.</summary>
    IReadOnlyList<FaceDetection> Detect(BgrImage image, DetectionOptions? options = null);

    /// <summary>
    /// The same, appended to <paramref name="faces"/>: with a list reused per camera, detection
    /// allocates nothing per frame.
    /// </summary>
    void Detect(BgrImage image, DetectionOptions? options, List<FaceDetection> faces);

    /// <summary>
    /// Landmarks for the face, then exactly the models that <paramref name="features"/> needs
    /// (Facen: alignment and embedding; Quality: the quality score and traits; ...).
    /// </summary>
    /// <param name="landmarks">
    /// The 68 landmarks an earlier analysis of this same box on these same pixels returned (the
    /// video pipeline's quality pass), so the landmark model does not run again; null runs it.
    /// Landmarks from other pixels (a re-decoded JPEG, another frame) would silently move the
    /// alignment, so a caller passes them only with the image they were computed on.
    /// </param>
    FaceAnalysis Analyze(BgrImage image, FaceDetection face, FaceFeatures features, PointF[]? landmarks = null);

    /// <summary>
    /// Decodes an encoded image (JPEG, PNG, WEBP, BMP), applies its EXIF orientation, detects
    /// the faces and analyses each for <paramref name="features"/>. Bad bytes are
    /// MALFORMED_REQUEST; an image without faces gives an empty list. A picture over
    /// <paramref name="limits"/> (<see cref="DecodeLimits.Default"/> when null) is BAD_PARAM before it is decoded.
    /// </summary>
    ImageAnalysis AnalyzeImage(ReadOnlySpan<byte> encodedImage, FaceFeatures features, DetectionOptions? options = null, DecodeLimits? limits = null);

    /// <summary>The 112×112 normalised face (face0) aligned from 68 landmarks; the caller disposes it.</summary>
    BgrImage Align(BgrImage image, ReadOnlySpan<PointF> landmarks);
}
