namespace Router.Galleries.Storage;

/// <summary>
/// A face as the store keeps it: meta and features as JSON (RouterJson), the exact
/// embedding as little-endian float32 bytes, the subject (person) it belongs to, if any, and on
/// insert its thumbnail (a small JPEG of the face; never read back with the face: see
/// <see cref="IGalleryStore.ReadThumbnailAsync"/>).
/// </summary>
public sealed record StoredFace(string Gallery, long Id, string MetaJson, string FeaturesJson, byte[] Vector, string? Subject = null, byte[]? Thumbnail = null);
