using Router.Abstractions;

namespace Router.Models.Faces;

/// <summary>
/// Verification on L2-normalised embeddings: cosine similarity against a threshold. The default
/// thresholds and what each score means as a false match rate live in <see cref="MatchThresholds"/>
/// and <see cref="MatchCalibration"/>, calibrated on real photos with <c>router eval</c>.
/// </summary>
public static class FaceMatcher
{
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => FaceEmbedder.Similarity(a, b);

    public static bool IsMatch(float similarity, float threshold = MatchThresholds.Verification) => similarity >= threshold;
}
