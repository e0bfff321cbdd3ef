using System.Text.Json.Serialization;

namespace Router.Abstractions;

/// <summary>The body of a listing: <c>{"results":[...],"next_page":cursor-or-null}</c>; next_page is always written, null at the end.</summary>
public sealed record WireListResponse(
    IReadOnlyList<Face> Results,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextPage)
{
    public static WireListResponse From(ListResponse r) => new(r.Results, r.NextPage);
}
