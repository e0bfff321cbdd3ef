using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Router.Host.Api;

/// <summary>
/// What the generated OpenAPI document cannot infer: the shapes of an image body (raw bytes of any
/// image type, a multipart field, or base64 in JSON), and number schemas that the API's
/// named-literal number handling ("NaN") makes contradictory.
/// </summary>
internal static class ApiDocument
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, _, _) =>
        {
            // AllowNamedFloatingPointLiterals yields {"type":"object","anyOf":[{"type":"number"},{"enum":["NaN",...]}]}:
            // no value is both an object and a number; the anyOf alone says what is written.
            if (schema.Type == JsonSchemaType.Object && schema.AnyOf is { Count: > 0 } && schema.Properties is not { Count: > 0 })
                schema.Type = null;
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<ImageBodyMetadata>().Any())
                operation.RequestBody = ImageBody();
            foreach (var q in metadata.OfType<QueryParameterMetadata>())
            {
                IOpenApiSchema schema = new OpenApiSchema { Type = q.Type };
                if (q.Repeated) schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema };
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter { Name = q.Name, In = ParameterLocation.Query, Description = q.Description, Schema = schema, Explode = q.Repeated });
            }
            return Task.CompletedTask;
        });
    }

    private static OpenApiRequestBody ImageBody()
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        var base64 = new OpenApiSchema { Type = JsonSchemaType.String, Format = "byte", Description = "base64, a data: URL prefix allowed" };
        var content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "the image in a field photo, file or image (several files: one per field)",
                    Properties = new Dictionary<string, IOpenApiSchema> { ["photo"] = binary, ["file"] = binary, ["image"] = binary },
                },
            },
            ["application/json"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = base64, ["photo"] = base64, ["image"] = base64 },
                },
            },
        };
        foreach (var type in (string[])["image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "application/octet-stream"])
            content[type] = new() { Schema = binary };
        return new OpenApiRequestBody
        {
            Required = true,
            Description = "An image (JPEG, PNG, WEBP, GIF, BMP), sent raw with any content type, as multipart/form-data, or as base64 in JSON",
            Content = content,
        };
    }
}

/// <summary>Marks an endpoint that reads an image body (<see cref="ImageUpload"/>), for <see cref="ApiDocument"/>.</summary>
internal sealed class ImageBodyMetadata
{
    public static readonly ImageBodyMetadata Instance = new();
}

/// <summary>A query parameter that a handler reads from the query string itself, for the OpenAPI document.</summary>
internal sealed record QueryParameterMetadata(string Name, JsonSchemaType Type, string Description, bool Repeated = false);

internal static class QueryParameterDescriptions
{
    /// <summary>The endpoint answers 200 with a JPEG image (described as binary).</summary>
    public static RouteHandlerBuilder ProducesJpeg(this RouteHandlerBuilder builder) => builder.Produces<Stream>(StatusCodes.Status200OK, "image/jpeg");

    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, params QueryParameterMetadata[] parameters) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var p in parameters) builder.WithMetadata(p);
        return builder;
    }
}
