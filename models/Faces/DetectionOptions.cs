namespace Router.Models.Faces;

/// <summary>How the detector runs over one image.</summary>
public sealed record DetectionOptions
{
    /// <summary>Minimum face probability (the vendor uses 0.65).</summary>
    public float ScoreThreshold { get; init; } = 0.65f;
    /// <summary>IoU above which a lower-scored box is suppressed.</summary>
    public float NmsThreshold { get; init; } = 0.4f;
    /// <summary>Faces narrower than this many pixels are dropped.</summary>
    public int MinFaceSize { get; init; } = 20;
    /// <summary>
    /// Also detect on overlapping tiles so that small faces in large frames (about 40 px in
    /// 1920×1080) are found; costs one detector run per tile.
    /// </summary>
    public bool Tiles { get; init; }

    public static DetectionOptions Default { get; } = new();
}
