using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>Error codes to HTTP statuses, and the error body writer.</summary>
public static class ApiErrors
{
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.BadParam or ErrorCodes.MalformedRequest => StatusCodes.Status400BadRequest,
        ErrorCodes.EnrollmentRefused or ErrorCodes.NoFace => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.NotFound or Plugins.PluginErrorCodes.NotFound or ErrorCodes.GalleryNotFound or ErrorCodes.SourceNotFound or ErrorCodes.SourceGalleryNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.NotImplemented => StatusCodes.Status501NotImplemented,
        ErrorCodes.OverCapacity or ErrorCodes.StorageError or ErrorCodes.CacheError or ErrorCodes.ExtractionError => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// Seconds a client is told to wait after OVER_CAPACITY: the decode queue's wait is 2 s and a
    /// typical upload is analysed in well under a second, so room comes back within a second or two.
    /// </summary>
    public const int RetryAfterSeconds = 1;

    public static Task WriteAsync(HttpContext context, WireError error, int? status = null)
    {
        context.Response.StatusCode = status ?? StatusOf(error.Code);
        if (error.Code == ErrorCodes.OverCapacity) context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsJsonAsync(error, RouterJson.Options, context.RequestAborted);
    }

    public static WireError From(RouterException e) => new(e.Code, e.Reason, e.Param, e.Value);
}
