using System.Text.Json;
using Router.Host.Tests.EndToEnd;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// <c>/openapi/v1.json</c> of `router run`'s composition describes every native operation: its
/// success body (a schema that matches what is written), its request body, and its error answers
/// in the one error shape. A client generated from it must be able to call the API. (The compatible
/// APIs, DeepStack's <c>/v1/vision</c> and CompreFace's <c>/api/v1</c>, keep their own products' shapes
/// and are not described body by body yet.)
/// </summary>
public sealed class OpenApiDocumentTests
{
    // Operations that take no body although their method usually carries one.
    private static readonly HashSet<string> NoBody =
    [
        "POST /v1/galleries/{name}", "POST /v1/galleries/{name}/subjects/{subject}", "POST /v1/plugins/{name}/reload",
    ];

    [Fact]
    public async Task Every_native_operation_has_its_bodies_and_errors_described()
    {
        var root = RouterTestHost.NewRoot();
        await using var host = new RouterTestHost(root, plugins: []);
        await host.StartAsync();
        var doc = await host.GetJsonAsync("openapi/v1.json");
        var schemas = doc.GetProperty("components").GetProperty("schemas");

        var operations = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject()
                     .Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal) && !p.Name.StartsWith("/v1/vision/", StringComparison.Ordinal)))
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                var name = $"{op.Name.ToUpperInvariant()} {path.Name}";
                operations++;
                var responses = op.Value.GetProperty("responses");
                var success = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
                Assert.True(success.Count > 0, $"{name}: no success response");
                foreach (var r in success.Where(r => r.Name != "204"))
                    Assert.True(r.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{name}: {r.Name} without content");
                Assert.True(responses.TryGetProperty("401", out var unauthorized), $"{name}: 401 not described");
                Assert.Equal("#/components/schemas/WireError",
                    unauthorized.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
                if (op.Name is "post" or "put" or "patch" && !NoBody.Contains(name))
                    Assert.True(op.Value.TryGetProperty("requestBody", out _), $"{name}: request body not described");
            }
        }
        Assert.True(operations >= 30, $"only {operations} native operations");

        // The names are the wire's (snake_case), and a number that may be NaN is not also an "object".
        var add = schemas.GetProperty("FaceAddRequest").GetProperty("properties");
        Assert.True(add.TryGetProperty("regenerate_attempts", out _));
        var confidence = schemas.GetProperty("Face").GetProperty("properties").GetProperty("confidence");
        Assert.False(confidence.TryGetProperty("type", out var t) && t.ToString().Contains("object", StringComparison.Ordinal), confidence.ToString());

        // The query parameters a handler reads itself are listed.
        var list = doc.GetProperty("paths").GetProperty("/v1/galleries/{name}/faces").GetProperty("get").GetProperty("parameters");
        Assert.Contains(list.EnumerateArray(), p => p.GetProperty("name").GetString() == "looks_like" && p.GetProperty("in").GetString() == "query");
        // An image body is described in each of its shapes.
        var detect = doc.GetProperty("paths").GetProperty("/v1/detect").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(detect.TryGetProperty("multipart/form-data", out _) && detect.TryGetProperty("image/jpeg", out _) && detect.TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task The_described_bodies_are_the_written_ones()
    {
        var root = RouterTestHost.NewRoot();
        await using var host = new RouterTestHost(root, plugins: []);
        await host.StartAsync();
        var doc = await host.GetJsonAsync("openapi/v1.json");
        var schemas = doc.GetProperty("components").GetProperty("schemas");

        using (var created = await host.Http.PostAsync("v1/galleries/doc", null))
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        AssertMatches(schemas, "WireGalleries", await host.GetJsonAsync("v1/galleries"));
        AssertMatches(schemas, "WireCameras", await host.GetJsonAsync("v1/cameras"));
        AssertMatches(schemas, "WirePlugins", await host.GetJsonAsync("v1/plugins"));
        AssertMatches(schemas, "WireEvents", await host.GetJsonAsync("v1/events"));
        AssertMatches(schemas, "WireListResponse", await host.GetJsonAsync("v1/galleries/doc/faces"));
    }

    /// <summary>Every member written is a property of the schema, and every required property is written.</summary>
    private static void AssertMatches(JsonElement schemas, string schemaName, JsonElement body)
    {
        var schema = schemas.GetProperty(schemaName);
        var properties = schema.GetProperty("properties");
        foreach (var member in body.EnumerateObject())
            Assert.True(properties.TryGetProperty(member.Name, out _), $"{schemaName}: '{member.Name}' is written but not described");
        if (schema.TryGetProperty("required", out var required))
            foreach (var r in required.EnumerateArray())
                Assert.True(body.TryGetProperty(r.GetString()!, out _), $"{schemaName}: required '{r}' is not written");
    }
}
