namespace Router.Host.Api;

/// <summary>Body of <c>POST …/subjects/{subject}/negatives</c>.</summary>
/// <param name="From">'event:&lt;id&gt;', 'detection:&lt;id&gt;' or 'face:&lt;gallery&gt;/&lt;id&gt;': the face that is not the subject.</param>
public sealed record NegativeAddRequest(string? From);
