namespace Router.Galleries.Storage;

/// <summary>
/// A face as the store keeps it: meta and features as JSON (RouterJson), the exact
/// embedding as little-endian float32 bytes, and the subject (person) it belongs to, if any.
/// </summary>
public sealed record StoredFace(string Gallery, long Id, string MetaJson, string FeaturesJson, byte[] Vector, string? Subject = null);
