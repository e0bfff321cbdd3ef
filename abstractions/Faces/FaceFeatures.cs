namespace Router.Abstractions;

/// <summary>
/// What a plugin asks the router to compute for a face. <see cref="None"/> means the plugin
/// is not interested in the face, and its ProcessAsync is not called for it.
/// </summary>
[Flags]
public enum FaceFeatures
{
    None = 0,
    /// <summary>The 512-d embedding; also makes the detection searchable (cached by id).</summary>
    Facen = 1 << 0,
    Gender = 1 << 1,
    Age = 1 << 2,
    Emotions = 1 << 3,
    Liveness = 1 << 4,
    Quality = 1 << 5,
    Pose = 1 << 6,
    Eyes = 1 << 7,
    /// <summary>Any face at all, with no model run beyond detection.</summary>
    Detection = 1 << 8,
}
