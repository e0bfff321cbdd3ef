using Router.Abstractions;

namespace Router.Plugins.Watchlist;

/// <summary>The webhook body (snake_case JSON): who matched, how well, where and when, with the face crop.</summary>
public sealed record WatchlistAlert
{
    public required string EventId { get; init; }
    public required string Gallery { get; init; }
    /// <summary>The matched person (subject), when the matched face belongs to one.</summary>
    public string? Subject { get; init; }
    public required long FaceId { get; init; }
    public IReadOnlyDictionary<string, MetaValue> Meta { get; init; } = new Dictionary<string, MetaValue>();
    public double Confidence { get; init; }
    /// <summary>The false match rate of <see cref="Confidence"/> on the shipped calibration: how often a stranger scores as high.</summary>
    public double Far { get; init; }
    public required string CamId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public int[] Bbox { get; init; } = [];
    /// <summary>The normalised face crop (face0) as base64 JPEG.</summary>
    public string? Face0 { get; init; }
}
