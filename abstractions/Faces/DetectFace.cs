namespace Router.Abstractions;

/// <summary>
/// One detected face. <c>Id</c> is its detection-cache id (set when the embedding was
/// computed, so that galleries can search by it or add it); <c>Facen</c> is the
/// L2-normalised embedding, present only when it was asked to be returned.
/// </summary>
public sealed record DetectFace
{
    public string? Id { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("bbox")]
    public required BBox BBox { get; init; }
    public float DetectionScore { get; init; }
    public FaceAttributes Features { get; init; } = FaceAttributes.Empty;
    public float[]? Facen { get; init; }
}
