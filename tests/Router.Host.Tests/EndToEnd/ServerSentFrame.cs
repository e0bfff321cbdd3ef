namespace Router.Host.Tests.EndToEnd;

/// <summary>One server-sent events frame (the lines up to a blank line): its fields, or only comments (heartbeats).</summary>
public sealed record ServerSentFrame(string? Id, string? Event, string? Data, IReadOnlyList<string> Comments)
{
    public bool IsCommentOnly => Id is null && Event is null && Data is null;
}
