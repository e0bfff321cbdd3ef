using System.Text.Json.Serialization;

namespace Router.Host.Compat.CompreFace;

// The bodies of CompreFace's REST API as Router writes and reads them (reference: compatible-apis.md).
// Every name is spelled out as CompreFace's clients read it; members always written are [JsonRequired],
// so that the OpenAPI document lists them as required; a plugin's object is left out unless asked for.

/// <summary>CompreFace's error: <c>{"message", "code"}</c> with its numeric code (<see cref="CompreFaceError"/>).</summary>
public sealed record CompreFaceWireError(
    [property: JsonPropertyName("message"), JsonRequired] string Message,
    [property: JsonPropertyName("code"), JsonRequired] int Code);

/// <summary><c>{"subject"}</c>: the body of creating or renaming a subject, and the answer of creating or deleting one.</summary>
public sealed record CompreFaceSubject([property: JsonPropertyName("subject"), JsonRequired] string Subject);

/// <summary><c>GET /recognition/subjects</c>: <c>{"subjects": [...]}</c>.</summary>
public sealed record CompreFaceSubjects([property: JsonPropertyName("subjects"), JsonRequired] IReadOnlyList<string> Subjects);

/// <summary><c>PUT /recognition/subjects/{subject}</c>: <c>{"updated": true}</c>.</summary>
public sealed record CompreFaceUpdated([property: JsonPropertyName("updated"), JsonRequired] bool Updated);

/// <summary>How many subjects or examples a delete removed: <c>{"deleted": N}</c>.</summary>
public sealed record CompreFaceDeleted([property: JsonPropertyName("deleted"), JsonRequired] int Deleted);

/// <summary>A stored example: <c>{"image_id", "subject"}</c> (subject null for a face of no subject deleted by its id).</summary>
public sealed record CompreFaceExample(
    [property: JsonPropertyName("image_id"), JsonRequired] string ImageId,
    [property: JsonPropertyName("subject"), JsonRequired] string? Subject);

/// <summary><c>GET /recognition/faces</c>: one page of examples.</summary>
public sealed record CompreFaceExamplePage(
    [property: JsonPropertyName("faces"), JsonRequired] IReadOnlyList<CompreFaceExample> Faces,
    [property: JsonPropertyName("page_number"), JsonRequired] int PageNumber,
    [property: JsonPropertyName("page_size"), JsonRequired] int PageSize,
    [property: JsonPropertyName("total_pages"), JsonRequired] int TotalPages,
    [property: JsonPropertyName("total_elements"), JsonRequired] int TotalElements);

/// <summary>A face's box: the detector's probability and the corners in pixels.</summary>
public readonly record struct CompreFaceBox(
    [property: JsonPropertyName("probability"), JsonRequired] double Probability,
    [property: JsonPropertyName("x_max"), JsonRequired] int XMax,
    [property: JsonPropertyName("y_max"), JsonRequired] int YMax,
    [property: JsonPropertyName("x_min"), JsonRequired] int XMin,
    [property: JsonPropertyName("y_min"), JsonRequired] int YMin);

/// <summary>The age plugin's object; Router's age model gives one value, so low and high are the same.</summary>
public sealed record CompreFaceAge([property: JsonPropertyName("low"), JsonRequired] int Low, [property: JsonPropertyName("high"), JsonRequired] int High);

/// <summary>The gender plugin's object: <c>{"probability", "value"}</c>, value male or female.</summary>
public sealed record CompreFaceGender(
    [property: JsonPropertyName("probability"), JsonRequired] double Probability,
    [property: JsonPropertyName("value"), JsonRequired] string Value);

/// <summary>The pose plugin's object, in degrees.</summary>
public sealed record CompreFacePose(
    [property: JsonPropertyName("pitch"), JsonRequired] double Pitch,
    [property: JsonPropertyName("roll"), JsonRequired] double Roll,
    [property: JsonPropertyName("yaw"), JsonRequired] double Yaw);

/// <summary>
/// One face of an answer: its box and the objects of the plugins asked for (<c>face_plugins</c>):
/// age, gender, pose, and the embedding for <c>calculator</c>.
/// </summary>
public record CompreFaceFace
{
    [JsonPropertyName("box"), JsonRequired]
    public CompreFaceBox Box { get; init; }

    [JsonPropertyName("age"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CompreFaceAge? Age { get; init; }

    [JsonPropertyName("gender"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CompreFaceGender? Gender { get; init; }

    [JsonPropertyName("pose"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CompreFacePose? Pose { get; init; }

    [JsonPropertyName("embedding"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819", Justification = "a wire record: the embedding as written")]
    public float[]? Embedding { get; init; }
}

/// <summary>A recognized face: the face and its best subjects, by similarity.</summary>
public sealed record CompreFaceRecognizedFace : CompreFaceFace
{
    [JsonPropertyName("subjects"), JsonRequired, JsonPropertyOrder(1)]
    public IReadOnlyList<CompreFaceSimilarSubject> Subjects { get; init; } = [];
}

/// <summary>A face compared with another: the face and its similarity.</summary>
public sealed record CompreFaceComparedFace : CompreFaceFace
{
    [JsonPropertyName("similarity"), JsonRequired, JsonPropertyOrder(1)]
    public double Similarity { get; init; }
}

/// <summary>A subject and its similarity on CompreFace's scale (<c>Router.Abstractions.CompatSimilarity</c>).</summary>
public sealed record CompreFaceSimilarSubject(
    [property: JsonPropertyName("subject"), JsonRequired] string Subject,
    [property: JsonPropertyName("similarity"), JsonRequired] double Similarity);

/// <summary><c>POST /recognition/recognize</c>: each face with its subjects, and what computed them.</summary>
public sealed record CompreFaceRecognizeResponse(
    [property: JsonPropertyName("result"), JsonRequired] IReadOnlyList<CompreFaceRecognizedFace> Result,
    [property: JsonPropertyName("plugins_versions"), JsonRequired] IReadOnlyDictionary<string, string> PluginsVersions);

/// <summary><c>POST /recognition/faces/{image_id}/verify</c>: each face with its similarity to the example.</summary>
public sealed record CompreFaceVerifyResponse(
    [property: JsonPropertyName("result"), JsonRequired] IReadOnlyList<CompreFaceComparedFace> Result,
    [property: JsonPropertyName("plugins_versions"), JsonRequired] IReadOnlyDictionary<string, string> PluginsVersions);

/// <summary><c>POST /detection/detect</c>: the faces and their plugins' objects.</summary>
public sealed record CompreFaceDetectResponse(
    [property: JsonPropertyName("result"), JsonRequired] IReadOnlyList<CompreFaceFace> Result,
    [property: JsonPropertyName("plugins_versions"), JsonRequired] IReadOnlyDictionary<string, string> PluginsVersions);

/// <summary>One comparison of the verification service: the source's face and every face of the target, best first.</summary>
public sealed record CompreFaceVerification(
    [property: JsonPropertyName("source_image_face"), JsonRequired] CompreFaceFace SourceImageFace,
    [property: JsonPropertyName("face_matches"), JsonRequired] IReadOnlyList<CompreFaceComparedFace> FaceMatches);

/// <summary><c>POST /verification/verify</c>.</summary>
public sealed record CompreFaceVerificationResponse(
    [property: JsonPropertyName("result"), JsonRequired] IReadOnlyList<CompreFaceVerification> Result,
    [property: JsonPropertyName("plugins_versions"), JsonRequired] IReadOnlyDictionary<string, string> PluginsVersions);

/// <summary>The body of <c>POST /recognition/embeddings/recognize</c>: <c>{"embeddings": [[...], ...]}</c>.</summary>
public sealed record CompreFaceEmbeddingsRequest([property: JsonPropertyName("embeddings"), JsonRequired] IReadOnlyList<IReadOnlyList<float>> Embeddings);

/// <summary>One embedding of <see cref="CompreFaceEmbeddingsResponse"/> and its best subjects.</summary>
public sealed record CompreFaceEmbeddingResult(
    [property: JsonPropertyName("embedding"), JsonRequired] IReadOnlyList<float> Embedding,
    [property: JsonPropertyName("similarities"), JsonRequired] IReadOnlyList<CompreFaceSimilarSubject> Similarities);

/// <summary><c>POST /recognition/embeddings/recognize</c>.</summary>
public sealed record CompreFaceEmbeddingsResponse([property: JsonPropertyName("result"), JsonRequired] IReadOnlyList<CompreFaceEmbeddingResult> Result);
