namespace Router.Galleries.Query;

/// <summary>A listing compiled from filters, sort and page: everything the scan checks in its one pass.</summary>
public sealed class ListPlan
{
    public long IdMin { get; init; } = long.MinValue;
    public long IdMax { get; init; } = long.MaxValue;
    public HashSet<long>? IdSet { get; init; }
    public IReadOnlyList<MetaCondition> Meta { get; init; } = [];
    /// <summary>Only faces of these subjects (Subject filters), or null.</summary>
    public HashSet<string>? Subjects { get; init; }
    /// <summary>Only faces that belong to some subject (per-subject searches).</summary>
    public bool WithSubjectOnly { get; init; }
    /// <summary>The exact (L2-normalised) query vector of a Detection/Face filter, or null.</summary>
    public float[]? Query { get; init; }
    public double Threshold { get; init; }
    public ListOrder Order { get; init; }
    public ListCursor? After { get; init; }
    public int Limit { get; init; } = 1000;
}
