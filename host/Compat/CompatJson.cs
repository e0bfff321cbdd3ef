using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Router.Host.Compat;

/// <summary>
/// The compatible APIs (CompreFace, DeepStack) answer with ASP.NET Core's web defaults (camelCase
/// where a name is not spelled out, as their clients were tested against), not the native API's
/// snake_case options that the framework's JSON settings carry for <c>/v1</c>. Their wire records
/// spell every name out (<c>[JsonPropertyName]</c>), so the OpenAPI document, made with the
/// framework's settings, names what these options write.
/// </summary>
internal static class CompatJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>A JSON answer written with <see cref="Options"/>.</summary>
    public static JsonHttpResult<T> Write<T>(T value, int status = StatusCodes.Status200OK) => TypedResults.Json(value, Options, statusCode: status);

    /// <summary>OpenAPI: the endpoints answer these statuses with a JSON body of <paramref name="type"/> (an API's error shape).</summary>
    public static TBuilder ProducesJson<TBuilder>(this TBuilder builder, Type type, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, ["application/json"]));
        return builder;
    }
}
