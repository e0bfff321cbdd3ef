namespace Router.Abstractions;

/// <summary>
/// A subject found by a per-subject search: its best-matching face, with the similarity to the
/// query and that similarity's false match rate. <see cref="NegativeConfidence"/> is the query's
/// similarity to the subject's closest negative example, when it has any.
/// </summary>
public sealed record SubjectMatch
{
    public required string Subject { get; init; }
    public required Face Face { get; init; }
    public double Confidence => Face.Confidence ?? 0;
    public double Far => Face.Far ?? 1;
    public double? NegativeConfidence { get; init; }
}
