using System.Text.Json.Serialization;

namespace Router.Abstractions;

/// <summary>A detected face on the wire: <c>{"id","bbox","detection_score","features","facen"?}</c>.</summary>
public sealed record WireDetectFace
{
    public string? Id { get; init; }
    [JsonPropertyName("bbox")]
    public required WireBBox BBox { get; init; }
    public float DetectionScore { get; init; }
    public FaceAttributes? Features { get; init; }
    public float[]? Facen { get; init; }

    public static WireDetectFace From(DetectFace d, bool withFacen) => new()
    {
        Id = d.Id,
        BBox = WireBBox.From(d.BBox),
        DetectionScore = d.DetectionScore,
        Features = d.Features,
        Facen = withFacen ? d.Facen : null,
    };

    public DetectFace ToDetectFace() => new()
    {
        Id = Id,
        BBox = BBox.ToBBox(),
        DetectionScore = DetectionScore,
        Features = Features ?? FaceAttributes.Empty,
        Facen = Facen,
    };
}
