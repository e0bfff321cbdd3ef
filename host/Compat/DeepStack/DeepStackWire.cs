using System.Text.Json.Serialization;

namespace Router.Host.Compat.DeepStack;

// The answers of DeepStack's face API as Router writes them (reference: compatible-apis.md): every one
// has "success"; names are spelled out as DeepStack's clients read them, and every member is always written.

/// <summary>A failure: <c>{"success": false, "error", "code"}</c>, code the HTTP status (as CodeProject.AI adds it).</summary>
public sealed record DeepStackFailure(
    [property: JsonPropertyName("success"), JsonRequired] bool Success,
    [property: JsonPropertyName("error"), JsonRequired] string Error,
    [property: JsonPropertyName("code"), JsonRequired] int Code);

/// <summary>A detected face: the detector's confidence and the corners in pixels.</summary>
public sealed record DeepStackFace(
    [property: JsonPropertyName("confidence"), JsonRequired] double Confidence,
    [property: JsonPropertyName("x_min"), JsonRequired] int XMin,
    [property: JsonPropertyName("y_min"), JsonRequired] int YMin,
    [property: JsonPropertyName("x_max"), JsonRequired] int XMax,
    [property: JsonPropertyName("y_max"), JsonRequired] int YMax);

/// <summary>A recognized face: the match's confidence (0 for a stranger), the corners, and the person ("unknown" for a stranger).</summary>
public sealed record DeepStackRecognizedFace(
    [property: JsonPropertyName("confidence"), JsonRequired] double Confidence,
    [property: JsonPropertyName("x_min"), JsonRequired] int XMin,
    [property: JsonPropertyName("y_min"), JsonRequired] int YMin,
    [property: JsonPropertyName("x_max"), JsonRequired] int XMax,
    [property: JsonPropertyName("y_max"), JsonRequired] int YMax,
    [property: JsonPropertyName("userid"), JsonRequired] string UserId);

/// <summary><c>POST /v1/vision/face</c>: the faces and their count.</summary>
public sealed record DeepStackDetectResponse(
    [property: JsonPropertyName("success"), JsonRequired] bool Success,
    [property: JsonPropertyName("predictions"), JsonRequired] IReadOnlyList<DeepStackFace> Predictions,
    [property: JsonPropertyName("count"), JsonRequired] int Count);

/// <summary><c>POST /v1/vision/face/recognize</c>: each face with its person, and their count.</summary>
public sealed record DeepStackRecognizeResponse(
    [property: JsonPropertyName("success"), JsonRequired] bool Success,
    [property: JsonPropertyName("predictions"), JsonRequired] IReadOnlyList<DeepStackRecognizedFace> Predictions,
    [property: JsonPropertyName("count"), JsonRequired] int Count);

/// <summary><c>POST /v1/vision/face/register</c>: <c>{"success": true, "message": "face added"}</c>.</summary>
public sealed record DeepStackMessage(
    [property: JsonPropertyName("success"), JsonRequired] bool Success,
    [property: JsonPropertyName("message"), JsonRequired] string Message);

/// <summary><c>POST /v1/vision/face/list</c>: the registered people.</summary>
public sealed record DeepStackFaces(
    [property: JsonPropertyName("success"), JsonRequired] bool Success,
    [property: JsonPropertyName("faces"), JsonRequired] IReadOnlyList<string> Faces);

/// <summary><c>POST /v1/vision/face/delete</c>: <c>{"success": true}</c>.</summary>
public sealed record DeepStackSuccess([property: JsonPropertyName("success"), JsonRequired] bool Success);

/// <summary><c>POST /v1/vision/face/match</c>: the similarity of the two images' faces.</summary>
public sealed record DeepStackMatch(
    [property: JsonPropertyName("success"), JsonRequired] bool Success,
    [property: JsonPropertyName("similarity"), JsonRequired] double Similarity);
