namespace Router.Abstractions;

/// <summary>The faces found in one image; <c>Orientation</c> is the EXIF orientation (1..8) that was applied.</summary>
public sealed record DetectResponse(IReadOnlyList<DetectFace> Faces, int Orientation, int Width, int Height);
