namespace Router.Galleries.Index;

/// <summary>
/// Consecutive faces of a <see cref="GalleryIndex"/>: their int8 codes (512 per face, row by row),
/// per-face scales and ids (<see cref="GalleryIndex.ReadCodes"/>).
/// </summary>
public delegate void CodeChunkAction(ReadOnlySpan<sbyte> codes, ReadOnlySpan<float> scales, ReadOnlySpan<long> ids);
