namespace Router.Abstractions;

/// <summary>A gallery and how many faces it holds.</summary>
public sealed record GalleryInfo(string Name, long Number);
