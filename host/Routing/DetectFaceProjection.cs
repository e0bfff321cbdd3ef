using Router.Abstractions;

namespace Router.Host.Routing;

/// <summary>
/// Cuts the detection computed for the union of all requests down to what one plugin asked
/// for, so a plugin never depends on features it did not request (and which another plugin's
/// removal would silently take away).
/// </summary>
public static class DetectFaceProjection
{
    public static DetectFace For(DetectFace full, FaceFeatures wanted)
    {
        var a = full.Features;
        return new DetectFace
        {
            BBox = full.BBox,
            DetectionScore = full.DetectionScore,
            // The cache id and the vector come with Facen only: they are what Facen means to a plugin.
            Id = wanted.HasFlag(FaceFeatures.Facen) ? full.Id : null,
            Facen = wanted.HasFlag(FaceFeatures.Facen) ? full.Facen : null,
            Features = new FaceAttributes
            {
                Gender = wanted.HasFlag(FaceFeatures.Gender) ? a.Gender : null,
                Age = wanted.HasFlag(FaceFeatures.Age) ? a.Age : null,
                Emotions = wanted.HasFlag(FaceFeatures.Emotions) ? a.Emotions : null,
                Liveness = wanted.HasFlag(FaceFeatures.Liveness) ? a.Liveness : null,
                Quality = wanted.HasFlag(FaceFeatures.Quality) ? a.Quality : null,
                Pose = wanted.HasFlag(FaceFeatures.Pose) ? a.Pose : null,
                Eyes = wanted.HasFlag(FaceFeatures.Eyes) ? a.Eyes : null,
            },
        };
    }
}
