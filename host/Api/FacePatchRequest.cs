using System.Text.Json;

namespace Router.Host.Api;

/// <summary>Body of <c>PATCH /v1/galleries/{name}/faces/{id}</c>: meta keys to set, and/or the subject to move the face to.</summary>
/// <param name="Meta">Meta values to set by key; a null value leaves the key as it is.</param>
/// <param name="Subject">The subject to move the face to; null takes it out of any (absent: unchanged).</param>
public sealed record FacePatchRequest(Dictionary<string, JsonElement>? Meta = null, string? Subject = null);
