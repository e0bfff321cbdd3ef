using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Router.Abstractions;
using Router.Host.Api;

namespace Router.Host.Compat.CompreFace;

/// <summary>
/// CompreFace's REST API under <c>/api/v1</c>, so its SDKs and Double Take work unchanged. Every
/// request carries <c>x-api-key</c>; the key decides the service (recognition, detection,
/// verification, by the path) and, for recognition, the gallery. Errors are CompreFace's
/// <c>{"message", "code"}</c>. The <c>/v1</c> API is untouched.
/// </summary>
public static class CompreFaceEndpoints
{
    public const string Prefix = "/api/v1";
    private const string KeyItem = "compreface-key";

    public static IEndpointRouteBuilder MapCompreFaceEndpoints(this IEndpointRouteBuilder app)
    {
        // Every answer may be a missing or wrong key (401), a key of another service (403) or a bad request (400).
        var api = app.MapGroup(Prefix).WithTags("compreface").WithMetadata(new OwnAuthentication(keyHeader: "x-api-key")).AddEndpointFilter(FilterAsync)
            .ProducesJson(typeof(CompreFaceWireError), StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        CompreFaceRecognition.Map(api.MapGroup("/recognition"));
        CompreFaceServices.Map(api);
        return app;
    }

    /// <summary>The recognition key of this request (its gallery).</summary>
    public static CompreFaceKey KeyOf(HttpContext context) => (CompreFaceKey)context.Items[KeyItem]!;

    /// <summary>Authenticates by x-api-key for the service the path names, and answers every failure in CompreFace's shape.</summary>
    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        try
        {
            var options = context.RequestServices.GetRequiredService<IOptions<CompreFaceOptions>>().Value;
            var given = context.Request.Headers["x-api-key"].ToString();
            if (given.Length == 0) throw new CompreFaceError(StatusCodes.Status401Unauthorized, CompreFaceError.MissingRequestHeader, "Missing header: x-api-key");
            var key = Find(options, given) ?? throw new CompreFaceError(StatusCodes.Status401Unauthorized, CompreFaceError.Undefined, "API key is not valid");
            var service = ServiceOf(context.Request.Path);
            if (key.Service != service)
                throw new CompreFaceError(StatusCodes.Status403Forbidden, CompreFaceError.Undefined, $"this API key is for the {key.Service} service, not {service}");
            context.Items[KeyItem] = key;
            return await next(invocation);
        }
        catch (CompreFaceError e) { return Error(e); }
        catch (RouterException e) { return Error(CompreFaceError.From(e)); }
        catch (JsonException e) { return Error(new CompreFaceError(StatusCodes.Status400BadRequest, CompreFaceError.IncorrectArgument, "the body is not valid JSON: " + e.Message)); }
    }

    private static JsonHttpResult<CompreFaceWireError> Error(CompreFaceError e) => CompatJson.Write(new CompreFaceWireError(e.Message, e.Code), e.Status);

    /// <summary>OpenAPI: the endpoint may also answer these statuses with CompreFace's error.</summary>
    internal static TBuilder ProducesCompreFaceErrors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesJson(typeof(CompreFaceWireError), statuses);

    /// <summary>
    /// OpenAPI: the query parameters of CompreFace's face endpoints (<see cref="CompreFaceRequest"/>) and the image body;
    /// a photo's endpoint may also answer 413 (too big) and 503 (the models busy or failing).
    /// </summary>
    internal static RouteHandlerBuilder AcceptsCompreFaceImage(this RouteHandlerBuilder builder) =>
        builder.AcceptsImages().WithQuery(FaceQuery).ProducesCompreFaceErrors(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);

    /// <summary>The query parameters <see cref="CompreFaceRequest.Parse"/> reads.</summary>
    internal static readonly QueryParameterMetadata[] FaceQuery =
    [
        new("limit", JsonSchemaType.Integer, "at most this many faces, biggest first; 0 (the default): all"),
        new("det_prob_threshold", JsonSchemaType.Number, "the detector's least probability for a face, 0..1 (default 0.8)"),
        new("prediction_count", JsonSchemaType.Integer, "subjects per face, 1..100 (default 1)"),
        new("face_plugins", JsonSchemaType.String, "comma-separated: age, gender, pose, calculator (the embedding); others are not computed"),
        new("status", JsonSchemaType.Boolean, "accepted for CompreFace's clients"),
        new("detect_faces", JsonSchemaType.Boolean, "only true (the default) is supported"),
    ];

    private static string ServiceOf(PathString path)
    {
        var rest = path.Value![Prefix.Length..];
        if (rest.StartsWith("/detection/", StringComparison.Ordinal)) return CompreFaceKey.Detection;
        if (rest.StartsWith("/verification/", StringComparison.Ordinal)) return CompreFaceKey.Verification;
        return CompreFaceKey.Recognition;
    }

    private static CompreFaceKey? Find(CompreFaceOptions options, string given) =>
        ApiKeys.IndexOf(options.Keys.Select(k => k.Key).ToList(), given) is var i and >= 0 ? options.Keys[i] : null;
}
