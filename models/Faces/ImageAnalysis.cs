namespace Router.Models.Faces;

/// <summary>
/// The faces of one encoded image. Width, height and every coordinate are in the upright
/// image, after the EXIF <c>Orientation</c> (1..8, 1 = as stored) was applied.
/// </summary>
public sealed record ImageAnalysis(int Width, int Height, int Orientation, IReadOnlyList<FaceAnalysis> Faces);
