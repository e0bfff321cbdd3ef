using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Router.Host.Api;

/// <summary>
/// What the generated OpenAPI document cannot infer: the shapes of an image body (raw bytes of any
/// image type, a multipart field, or base64 in JSON), the named fields of a multipart form that a
/// handler reads itself (the compatible APIs), number schemas that the API's named-literal
/// number handling ("NaN") makes contradictory, and how each operation is authenticated.
/// </summary>
internal static class ApiDocument
{
    /// <summary>The security scheme of the admin API: <c>Authorization: Bearer KEY</c>, one of Api:ApiKeys.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>The headers the compatible APIs take keys in (<see cref="OwnAuthentication.KeyHeader"/>).</summary>
    private static readonly string[] HeaderKeys = ["x-api-key"];

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "One of Api:ApiKeys. With none configured the API takes no key and listens on loopback only; the health answers are open to loopback clients.",
            };
            foreach (var header in HeaderKeys)
                document.Components.SecuritySchemes[header] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = header,
                    Description = "A key of the compatible API's own (CompreFace: one per service in CompreFace:Services).",
                };
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // AllowNamedFloatingPointLiterals yields {"type":"object","anyOf":[{"type":"number"},{"enum":["NaN",...]}]}:
            // no value is both an object and a number; the anyOf alone says what is written.
            if (schema.Type == JsonSchemaType.Object && schema.AnyOf is { Count: > 0 } && schema.Properties is not { Count: > 0 })
                schema.Type = null;
            OmittedWhenNullIsNotRequired(schema, context.JsonTypeInfo);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            // Operations that check their callers themselves say how in their own fields (DeepStack's
            // form field api_key) or name their header; every other one takes the admin API's bearer key.
            var own = metadata.OfType<OwnAuthentication>().LastOrDefault();
            var scheme = own is null ? BearerScheme : own.KeyHeader;
            if (scheme is not null)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
            if (metadata.OfType<ImageBodyMetadata>().Any())
                operation.RequestBody = ImageBody();
            if (metadata.OfType<FormBodyMetadata>().LastOrDefault() is { } form)
                operation.RequestBody = FormBody(form);
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

    /// <summary>
    /// The generator lists every constructor parameter as required, but a member that may be null and
    /// is left out when null (RouterJson's WhenWritingNull, or the member's own JsonIgnore condition)
    /// is not always written: a client validating against the document would refuse real answers.
    /// </summary>
    private static void OmittedWhenNullIsNotRequired(OpenApiSchema schema, JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || schema.Required is not { Count: > 0 } required) return;
        var byDefault = info.Options.DefaultIgnoreCondition == JsonIgnoreCondition.WhenWritingNull;
        foreach (var property in info.Properties)
        {
            if (property.IsRequired) continue;
            var mayBeNull = property.IsGetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null;
            if (mayBeNull && (byDefault || property.ShouldSerialize is not null)) required.Remove(property.Name);
        }
    }

    private static OpenApiRequestBody FormBody(FormBodyMetadata form)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var f in form.Fields)
        {
            properties[f.Name] = f.File
                ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = f.Description }
                : new OpenApiSchema { Type = f.Type, Description = f.Description };
        }
        var schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties };
        var required = form.Fields.Where(f => f.Required).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        if (required.Count > 0) schema.Required = required;
        var content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } };
        if (form.AlsoJson)
        {
            // The same fields as JSON, files in base64.
            var json = new Dictionary<string, IOpenApiSchema>();
            foreach (var f in form.Fields)
                json[f.Name] = f.File
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "byte", Description = f.Description + " (base64, a data: URL prefix allowed)" }
                    : new OpenApiSchema { Type = f.Type, Description = f.Description };
            content["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = json, Required = schema.Required } };
        }
        return new OpenApiRequestBody { Required = required.Count > 0, Description = form.Description, Content = content };
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

/// <summary>
/// A <c>multipart/form-data</c> body of named fields that a handler reads itself (<see cref="ImageUpload.ReadFormAsync"/>),
/// for <see cref="ApiDocument"/>; <see cref="AlsoJson"/>: the same fields are accepted as a JSON object, files in base64.
/// </summary>
internal sealed record FormBodyMetadata(string Description, IReadOnlyList<FormField> Fields, bool AlsoJson = false);

/// <summary>One field of a form body: a file (binary) or a text value of <see cref="Type"/>.</summary>
internal sealed record FormField(string Name, string Description, bool File = false, bool Required = false, JsonSchemaType Type = JsonSchemaType.String);

/// <summary>A query parameter that a handler reads from the query string itself, for the OpenAPI document.</summary>
internal sealed record QueryParameterMetadata(string Name, JsonSchemaType Type, string Description, bool Repeated = false);

internal static class QueryParameterDescriptions
{
    /// <summary>The endpoint answers 200 with a JPEG image (described as binary).</summary>
    public static RouteHandlerBuilder ProducesJpeg(this RouteHandlerBuilder builder) => builder.Produces<Stream>(StatusCodes.Status200OK, "image/jpeg");

    /// <summary>The endpoint reads a form of these fields (<see cref="FormBodyMetadata"/>).</summary>
    public static TBuilder AcceptsForm<TBuilder>(this TBuilder builder, string description, params FormField[] fields) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FormBodyMetadata(description, fields));

    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, params QueryParameterMetadata[] parameters) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var p in parameters) builder.WithMetadata(p);
        return builder;
    }
}
