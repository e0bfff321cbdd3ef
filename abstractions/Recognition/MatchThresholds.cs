namespace Router.Abstractions;

/// <summary>
/// Default similarity thresholds by purpose (raw cosine of L2-normalised embeddings), each chosen
/// for a false match rate on the shipped calibration (<see cref="MatchCalibration"/>; the README's
/// "Recognition defaults" gives the measurements).
/// </summary>
public static class MatchThresholds
{
    /// <summary>1:1 verification (<c>router compare</c>): FAR 8e-5 (TAR 95.3% on LFW's development photos).</summary>
    public const float Verification = 0.42f;

    /// <summary>
    /// 1:N identification (Watchlist, plugins' Detection/Face filters): FAR 1e-5 per comparison, so
    /// a stranger searched against a gallery of N faces raises a false alarm with probability about
    /// N × 1e-5 (1% for 1,000 faces). TAR 91% on LFW's development photos.
    /// </summary>
    public const float Identification = 0.48f;

    /// <summary>
    /// Grouping unknown faces into visitors (the Visitors plugin): the threshold that split the fewest
    /// people in <c>router eval</c>'s grouping simulation on LFW's development photos (11.6% of the
    /// 1,165 people with several photos, 79 of 3,155 visitors mixing people; 0.42 split 15.4% and mixed
    /// 305, 0.50 split 15.5%). FAR 2e-5 per comparison.
    /// </summary>
    public const float Grouping = 0.46f;

    /// <summary>
    /// "This is not X": a subject is not reported for a face whose similarity to one of the subject's
    /// negative examples is at least its similarity to the subject's own best face minus this margin.
    /// Measured with <c>router eval</c>'s correction simulation on LFW's development photos (each of the 1,165
    /// people with several photos enrolled from one, the closest stranger photo stored as a negative): at 0.05
    /// the correction stopped 766 of the stranger's 768 other photos that matched at 0.30, and cost 3 of 1,719
    /// true matches at 0.48 (0.17%, the same 3 as at −0.10); 0.10 stopped all 768 and cost 5, 0.20 cost 81.
    /// </summary>
    public const float NegativeMargin = 0.05f;
}
