using System.Drawing;
using Router.Abstractions;

namespace Router.Models.Faces;

/// <summary>
/// Everything computed for one detected face: the 68 landmarks (image pixels), the
/// requested attributes, and the L2-normalised 512-d embedding when Facen was asked for.
/// </summary>
public sealed record FaceAnalysis
{
    public required FaceDetection Detection { get; init; }
    public required PointF[] Landmarks { get; init; }
    public FaceAttributes Attributes { get; init; } = FaceAttributes.Empty;
    public float[]? Embedding { get; init; }
}
