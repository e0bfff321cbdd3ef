namespace Router.Host.Api;

/// <summary>Body of <c>PATCH /v1/galleries/{name}/subjects/{subject}</c>: the new name (an existing subject's name merges the two).</summary>
public sealed record SubjectRenameRequest(string? Name);
