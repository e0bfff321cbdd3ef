namespace Router.Abstractions;

/// <summary>
/// Default similarity thresholds by purpose (raw cosine of L2-normalised embeddings), each chosen
/// for a false match rate on the shipped calibration (<see cref="MatchCalibration"/>).
/// </summary>
public static class MatchThresholds
{
    /// <summary>1:1 verification (<c>router compare</c>): PLACEHOLDER until measured.</summary>
    public const float Verification = 0.7f;
}
