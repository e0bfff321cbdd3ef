namespace Router.Galleries.Subjects;

/// <summary>A negative example in memory: its id, exact unit vector, source and creation time (unix ms).</summary>
public sealed record NegativeVector(long Id, float[] Vector, string Source, long CreatedMs);
