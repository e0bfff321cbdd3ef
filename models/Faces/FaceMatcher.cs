namespace Router.Models.Faces;

/// <summary>Verification on L2-normalised embeddings: cosine similarity against a threshold.</summary>
public static class FaceMatcher
{
    /// <summary>
    /// The default match threshold. Measured on the six sample photos with this pipeline
    /// (tests/Router.Models.Tests/Faces/RecognitionTests.cs prints the figures): all 231
    /// pairs of different people scored at most ~0.4x, the same faces after a 0.6× rescale
    /// and JPEG quality-70 recompression at least ~0.8x. The threshold sits between the two,
    /// nearer the impostors' side, so that a re-captured face still matches while the
    /// worst impostor pair keeps a margin of more than 0.1.
    /// </summary>
    public const float DefaultThreshold = 0.6f;

    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => FaceEmbedder.Similarity(a, b);

    public static bool IsMatch(float similarity, float threshold = DefaultThreshold) => similarity >= threshold;
}
