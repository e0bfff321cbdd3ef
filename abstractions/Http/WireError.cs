namespace Router.Abstractions;

/// <summary>The JSON body of every API error: <c>{"code","reason","param"?,"value"?}</c>.</summary>
public sealed record WireError(string Code, string Reason, string? Param = null, string? Value = null);
