namespace Router.Abstractions;

/// <summary>
/// Similarity on the scale of the compatible APIs (CompreFace's; DeepStack's confidence too), CompreFace's formula: <c>(tanh((c0 − d)·c1) + 1) / 2</c> of the Euclidean distance d
/// between unit embeddings (d = √(2 − 2·cos)), so clients' thresholds keep their meaning. The two
/// coefficients come from the shipped calibration's thresholds: 0.5, CompreFace's decision boundary,
/// is Router's verification threshold (cosine 0.42, FAR 8e-5), and 0.60, Double Take's default match
/// confidence, is Router's identification threshold (cosine 0.48, FAR 1e-5). In the contract assembly so that
/// plugins (MQTT's Double Take payloads) report confidence on the same scale as the compatible APIs.
/// </summary>
public static class CompatSimilarity
{
    public const double DoubleTakeDefault = 0.60;

    private static readonly double C0 = Distance(MatchThresholds.Verification);
    private static readonly double C1 = Math.Atanh(2 * DoubleTakeDefault - 1) / (C0 - Distance(MatchThresholds.Identification));

    private static double Distance(double cosine) => Math.Sqrt(Math.Max(0, 2 - 2 * cosine));

    /// <summary>The CompreFace similarity of a cosine similarity, rounded to 5 decimals as CompreFace answers.</summary>
    public static double FromCosine(double cosine) => Math.Round((Math.Tanh((C0 - Distance(cosine)) * C1) + 1) / 2, 5);
}
