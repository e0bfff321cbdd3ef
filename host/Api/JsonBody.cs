using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>
/// A JSON request body bound by the framework (a handler parameter of this type) and described in
/// OpenAPI as <typeparamref name="T"/>, but read by the API's own rules rather than the framework's
/// body binding: any content type is accepted (curl's default form type included), the
/// <c>Api:MaxBodyBytes</c> limit answers the JSON 413, invalid UTF-8 is a 400, and a member of the
/// wrong type is BAD_PARAM naming that member.
/// </summary>
public sealed class JsonBody<T> : IEndpointParameterMetadataProvider where T : class
{
    private JsonBody(T value, JsonElement raw)
    {
        Value = value;
        Raw = raw;
    }

    public T Value { get; }

    /// <summary>The body as parsed, for the few members whose absence differs from null.</summary>
    public JsonElement Raw { get; }

    [SuppressMessage("Design", "CA1000", Justification = "Minimal APIs find BindAsync as a static member of the parameter type")]
    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var raw = await RequestBody.ReadObjectAsync(context);
        try
        {
            var value = raw.Deserialize<T>(RouterJson.Options) ?? throw new GalleryException(ErrorCodes.MalformedRequest, "the body must be a JSON object");
            return new JsonBody<T>(value, raw);
        }
        catch (JsonException e)
        {
            // "$.settings.detect_fps" -> "settings.detect_fps"
            var param = e.Path is { Length: > 2 } p ? p[2..] : "body";
            throw RouterException.BadParam(param, null, $"invalid body: {e.Message.Split(". ")[0]}");
        }
    }

    [SuppressMessage("Design", "CA1000", Justification = "IEndpointParameterMetadataProvider is a static abstract member")]
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
}
