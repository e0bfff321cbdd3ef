using Router.Abstractions;

namespace Router.Host.Compat.CompreFace;

/// <summary>
/// An error as CompreFace answers it: HTTP status and <c>{"message", "code"}</c> with CompreFace's
/// numeric codes, which clients test (Double Take reads code 28 as "no face").
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "named after what it is written as: CompreFace's error body")]
public sealed class CompreFaceError(int status, int code, string message) : Exception(message)
{
    public const int Undefined = 0;
    public const int ImageNotFound = 11;
    public const int MissingRequestHeader = 20;
    public const int ValidationConstraintViolation = 26;
    public const int NoFacesFound = 28;
    public const int TooManyFaces = 31;
    public const int MissingRequestParameter = 33;
    public const int MissingRequestPart = 34;
    public const int IncorrectArgument = 36;
    public const int SubjectNotFound = 42;
    public const int SubjectAlreadyExists = 43;

    public int Status { get; } = status;
    public int Code { get; } = code;

    public static CompreFaceError NoFace() => new(StatusCodes.Status400BadRequest, NoFacesFound, "No face is found in the given image");
    public static CompreFaceError NoSubject(string subject) => new(StatusCodes.Status404NotFound, SubjectNotFound, $"Subject {subject} not found");
    public static CompreFaceError NoImage(string id) => new(StatusCodes.Status404NotFound, ImageNotFound, $"Image with ID = {id} not found");
    public static CompreFaceError Missing(string parameter) =>
        new(StatusCodes.Status400BadRequest, MissingRequestParameter, $"Required request parameter '{parameter}' is not present");
    public static CompreFaceError Incorrect(string message) => new(StatusCodes.Status400BadRequest, IncorrectArgument, message);

    /// <summary>A Router error in CompreFace's terms.</summary>
    public static CompreFaceError From(RouterException e) => e.Code switch
    {
        ErrorCodes.NoFace => NoFace(),
        ErrorCodes.EnrollmentRefused => new(StatusCodes.Status400BadRequest, ValidationConstraintViolation, e.Reason),
        ErrorCodes.BadParam => new(StatusCodes.Status400BadRequest, IncorrectArgument, e.Reason),
        ErrorCodes.MalformedRequest => new(StatusCodes.Status400BadRequest, MissingRequestPart, e.Reason),
        _ => new(Api.ApiErrors.StatusOf(e.Code), Undefined, e.Reason),
    };
}
