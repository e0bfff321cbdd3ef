namespace Router.Abstractions;

/// <summary>The body of <c>GET /v1/galleries</c>: <c>{"galleries":[{"name","number"}]}</c>.</summary>
public sealed record WireGalleries(IReadOnlyList<GalleryInfo> Galleries);
