namespace Router.Abstractions;

/// <summary>
/// A face posted by the video pipeline (or an API caller) to the router: the full frame,
/// the aligned face, where the face is, and where and when it was seen.
/// </summary>
public sealed record FaceRequest
{
    /// <summary>The full frame as JPEG.</summary>
    public required ReadOnlyMemory<byte> Photo { get; init; }
    /// <summary>The aligned 112×112 normalised face as JPEG.</summary>
    public ReadOnlyMemory<byte> Face0 { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("bbox")]
    public required BBox BBox { get; init; }
    public required string CamId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public DetectorParams DetectorParams { get; init; } = new();
    /// <summary>"overall" (one best shot per track) or "realtime" (one per interval).</summary>
    public string BsType { get; init; } = BestShotTypes.Overall;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = EmptyLabels;

    internal static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();
}

public static class BestShotTypes
{
    public const string Overall = "overall";
    public const string Realtime = "realtime";
}
