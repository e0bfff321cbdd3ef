namespace Router.Abstractions;

/// <summary>Machine codes carried by every error Router reports (the sfapi vocabulary).</summary>
public static class ErrorCodes
{
    public const string BadParam = "BAD_PARAM";
    public const string NotFound = "NOT_FOUND";
    public const string GalleryNotFound = "GALLERY_NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string ExtractionError = "EXTRACTION_ERROR";
    public const string OverCapacity = "OVER_CAPACITY";
    public const string StorageError = "STORAGE_ERROR";
    public const string CacheError = "CACHE_ERROR";
    public const string MalformedRequest = "MALFORMED_REQUEST";
    public const string SourceNotFound = "SOURCE_NOT_FOUND";
    public const string SourceGalleryNotFound = "SOURCE_GALLERY_NOT_FOUND";
    public const string NotImplemented = "NOT_IMPLEMENTED";
    public const string UnknownError = "UNKNOWN_ERROR";
    /// <summary>A request body over the configured size limit (HTTP 413).</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    /// <summary>A route that exists, asked with a method it does not answer (HTTP 405, with the methods it does in <c>Allow</c>).</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    /// <summary>Missing or wrong API key (HTTP 401).</summary>
    public const string Unauthorized = "UNAUTHORIZED";
    /// <summary>A face refused for enrollment (too small to recognise reliably): see <see cref="EnrollmentGate"/>.</summary>
    public const string EnrollmentRefused = EnrollmentGate.Code;
    /// <summary>An image in which a face was needed has none (HTTP 422).</summary>
    public const string NoFace = "NO_FACE";
}
