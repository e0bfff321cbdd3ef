namespace Router.Models.Faces;

/// <summary>Verification on L2-normalised embeddings: cosine similarity against a threshold.</summary>
public static class FaceMatcher
{
    /// <summary>
    /// The default match threshold. Measured on the six sample photos with this pipeline
    /// (tests/Router.Models.Tests/Faces/RecognitionTests.cs prints the figures): the 231
    /// pairs of different people scored at most 0.568; each of the 22 faces against itself
    /// after a 0.6× rescale and JPEG quality-70 recompression at least 0.940. 0.7 keeps a
    /// margin of 0.13 above the worst impostor pair and 0.24 below the worst genuine one
    /// (genuine pairs across real re-captures, with other light and pose, score lower than
    /// these, so the margin on that side is deliberately the larger one).
    /// </summary>
    public const float DefaultThreshold = 0.7f;

    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => FaceEmbedder.Similarity(a, b);

    public static bool IsMatch(float similarity, float threshold = DefaultThreshold) => similarity >= threshold;
}
