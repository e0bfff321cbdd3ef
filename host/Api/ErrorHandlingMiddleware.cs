using System.Text.Json;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>
/// Turns every failure into <c>{"code","reason",...}</c> with the matching status: Router
/// errors as they are, oversized bodies as 413, anything unexpected as 500 UNKNOWN_ERROR
/// (logged here, never with a stack trace in the response).
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !(e is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            var error = e switch
            {
                RouterException r => ApiErrors.From(r),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    new WireError(ErrorCodes.PayloadTooLarge, "the request body is larger than the configured limit"),
                BadHttpRequestException b => new WireError(ErrorCodes.MalformedRequest, b.Message),
                JsonException j => new WireError(ErrorCodes.MalformedRequest, "the body is not valid JSON: " + j.Message),
                _ => null,
            };
            if (error is null)
            {
                log.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                error = new WireError(ErrorCodes.UnknownError, "internal error");
            }
            else if (error.Code is ErrorCodes.StorageError or ErrorCodes.CacheError)
            {
                log.LogError(e, "{Code} on {Method} {Path}", error.Code, context.Request.Method, context.Request.Path);
            }
            context.Response.Clear();
            await ApiErrors.WriteAsync(context, error);
        }
    }
}
