namespace Router.Abstractions;

/// <summary>A face box on the wire: <c>{"left","top","right","bottom"}</c>.</summary>
public sealed record WireBBox(int Left, int Top, int Right, int Bottom)
{
    public static WireBBox From(BBox b) => new(b.Left, b.Top, b.Right, b.Bottom);
    public BBox ToBBox() => new(Left, Top, Right, Bottom);
}
