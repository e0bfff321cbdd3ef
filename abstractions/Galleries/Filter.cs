namespace Router.Abstractions;

public enum FilterOp { Lte, Gte, OneOf, Subset }

/// <summary>A condition on gallery faces; all filters of a listing must hold together.</summary>
public abstract record Filter;

/// <summary>Faces whose id is ≤, ≥ or one of the values.</summary>
public sealed record IdFilter(FilterOp Op, IReadOnlyList<long> Values) : Filter;

/// <summary>Faces whose meta value under <c>Key</c> is ≤, ≥, one of, or (for lists) a superset of the values.</summary>
public sealed record MetaFilter(string Key, FilterOp Op, IReadOnlyList<MetaValue> Values) : Filter;

/// <summary>Faces similar to a cached detection with cosine similarity ≥ threshold.</summary>
public sealed record DetectionFilter(string DetectionId, double Threshold) : Filter;

/// <summary>Faces similar to a stored face (of any gallery) with cosine similarity ≥ threshold.</summary>
public sealed record FaceFilter(FaceId Face, double Threshold) : Filter;

/// <summary>Faces that belong to one of these subjects.</summary>
public sealed record SubjectFilter(IReadOnlyList<string> Subjects) : Filter;
