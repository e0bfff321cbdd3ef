using Router.Abstractions;

namespace Router.Plugins.EventLog;

/// <summary>One line of <c>events.jsonl</c>.</summary>
public sealed record EventRecord
{
    public ulong EventId { get; init; }
    public required string CamId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public int[] Bbox { get; init; } = [];
    public float DetectionScore { get; init; }
    public FaceAttributes? Features { get; init; }
    public string? BsType { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public long TrackId { get; init; }
    public bool HasFace { get; init; }
    public bool HasPhoto { get; init; }
}
