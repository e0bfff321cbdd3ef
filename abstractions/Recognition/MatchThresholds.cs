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
}
