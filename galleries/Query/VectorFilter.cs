using Router.Abstractions;

namespace Router.Galleries.Query;

/// <summary>
/// Faces similar to a given embedding (cosine ≥ threshold): for callers inside the host that hold
/// a vector already (the compatible APIs' embedding search, per-subject search), so it is not
/// cached as a detection just to be read back. Not part of the plugin contract.
/// </summary>
public sealed record VectorFilter(float[] Vector, double Threshold) : Filter;
