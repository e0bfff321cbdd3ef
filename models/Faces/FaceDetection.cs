using Router.Abstractions;

namespace Router.Models.Faces;

/// <summary>One face found by the detector: its box in the image's pixels and the detector's confidence.</summary>
public readonly record struct FaceDetection(BBox Box, float Score);
