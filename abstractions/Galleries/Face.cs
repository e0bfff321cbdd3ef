namespace Router.Abstractions;

/// <summary>
/// A face stored in a gallery. <c>Confidence</c> is the cosine similarity to the query
/// when the listing had a Detection or Face filter, otherwise null; <c>Far</c> is then the false
/// match rate of that similarity on the shipped calibration (<see cref="MatchCalibration"/>):
/// the share of different people who would score as high.
/// </summary>
public sealed record Face
{
    public required FaceId Id { get; init; }
    /// <summary>The person this face belongs to (<see cref="SubjectInfo"/>), or null.</summary>
    public string? Subject { get; init; }
    public IReadOnlyDictionary<string, MetaValue> Meta { get; init; } = new Dictionary<string, MetaValue>();
    public FaceAttributes Features { get; init; } = FaceAttributes.Empty;
    public double? Confidence { get; init; }
    public double? Far => Confidence is { } c ? MatchCalibration.Default.FalseMatchRate(c) : null;
}
