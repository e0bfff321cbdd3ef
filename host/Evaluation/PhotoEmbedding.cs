using Router.Abstractions;

namespace Router.Host.Evaluation;

/// <summary>What the pipeline made of one photo: the chosen face's embedding (with its quality score and landmark yaw in degrees), or why there is none.</summary>
public sealed record PhotoEmbedding(string RelativePath, string? ErrorCode, string? Reason, BBox Box, float DetectionScore, float Quality, float Yaw, float[]? Embedding)
{
    public bool HasFace => Embedding != null;

    public static PhotoEmbedding Failed(string path, string code, string reason) => new(path, code, reason, default, 0, 0, 0, null);
}

/// <summary>Which face of a photo with several counts.</summary>
public enum FaceChoice
{
    /// <summary>The largest box (the higher detection score on equal size): what <c>router compare</c> uses.</summary>
    Largest,
    /// <summary>The box whose centre is nearest the photo's centre (LFW's photos are centred on their person).</summary>
    Center,
}
