namespace Router.Abstractions;

/// <summary>One page of a listing; pass <c>NextPage</c> as the page of the next call (null: no more).</summary>
public sealed record ListResponse(IReadOnlyList<Face> Results, string? NextPage);
