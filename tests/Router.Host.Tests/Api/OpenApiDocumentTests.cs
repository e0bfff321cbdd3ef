using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Host.Tests.EndToEnd;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// <c>/openapi/v1.json</c> of `router run`'s composition describes every operation: its success
/// body (a schema that matches what is written), its request body, and its error answers in the
/// API's error shape: the native API's one error body, and for the compatible APIs (CompreFace's
/// <c>/api/v1</c>, DeepStack's <c>/v1/vision</c>) their products' own shapes. A client generated from
/// it must be able to call the API.
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
    public async Task Every_operation_says_how_it_is_authenticated()
    {
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), plugins: []);
        await host.StartAsync();
        var doc = await host.GetJsonAsync("openapi/v1.json");
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("http", schemes.GetProperty("bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        var header = schemes.GetProperty("x-api-key");
        Assert.Equal(("apiKey", "header", "x-api-key"),
            (header.GetProperty("type").GetString(), header.GetProperty("in").GetString(), header.GetProperty("name").GetString()));

        var seen = new Dictionary<string, int>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
            {
                // DeepStack takes its key in a form field, which OpenAPI has no scheme for: the form describes it.
                string? expected = path.Name.StartsWith("/v1/vision/face", StringComparison.Ordinal) ? null
                    : path.Name.StartsWith("/api/v1/", StringComparison.Ordinal) ? "x-api-key" : "bearer";
                string[] named = op.Value.TryGetProperty("security", out var security)
                    ? [.. security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name))]
                    : [];
                Assert.True(expected is null ? named.Length == 0 : named.SequenceEqual([expected]),
                    $"{op.Name} {path.Name}: security [{string.Join(", ", named)}], expected {expected ?? "none"}");
                seen[expected ?? "form"] = seen.GetValueOrDefault(expected ?? "form") + 1;
            }
        Assert.True(seen.GetValueOrDefault("bearer") > 20 && seen.GetValueOrDefault("x-api-key") > 5 && seen.GetValueOrDefault("form") == 6,
            string.Join(", ", seen.Select(kv => $"{kv.Key}: {kv.Value}")));
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

    private const string CompreFaceRecognition = "00000000-0000-0000-0000-00000000000a";
    private const string CompreFaceDetection = "00000000-0000-0000-0000-00000000000b";
    private const string CompreFaceVerification = "00000000-0000-0000-0000-00000000000c";
    private const string DeepStackKey = "deepstack-doc-key";

    /// <summary>The compatible APIs' operations: their prefix and the schema of their error answers.</summary>
    private static readonly (string Prefix, string Error)[] CompatApis = [("/api/v1/", "CompreFaceWireError"), ("/v1/vision/", "DeepStackFailure")];

    [Fact]
    public async Task Every_compat_operation_has_its_bodies_and_statuses_described()
    {
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), plugins: []);
        await host.StartAsync();
        var doc = await host.GetJsonAsync("openapi/v1.json");
        var schemas = doc.GetProperty("components").GetProperty("schemas");

        var operations = new Dictionary<string, int>();
        foreach (var (prefix, error) in CompatApis)
        {
            foreach (var path in doc.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                foreach (var op in path.Value.EnumerateObject())
                {
                    var name = $"{op.Name.ToUpperInvariant()} {path.Name}";
                    operations[prefix] = operations.GetValueOrDefault(prefix) + 1;
                    var responses = op.Value.GetProperty("responses");
                    var success = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
                    Assert.True(success.Count > 0, $"{name}: no success response");
                    foreach (var r in success)
                    {
                        Assert.True(r.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{name}: {r.Name} without content");
                        foreach (var media in content.EnumerateObject())
                            Assert.True(media.Value.TryGetProperty("schema", out _), $"{name}: {r.Name} {media.Name} without a schema");
                    }
                    // Every failure is the API's own error body; a bad request and a wrong key are described everywhere.
                    var failures = responses.EnumerateObject().Where(r => !r.Name.StartsWith('2')).ToList();
                    foreach (var status in prefix == "/api/v1/" ? (string[])["400", "401", "403"] : ["400", "401"])
                        Assert.True(failures.Any(f => f.Name == status), $"{name}: {status} not described");
                    foreach (var f in failures)
                        Assert.Equal("#/components/schemas/" + error,
                            f.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
                    // Every POST and PUT of these APIs takes a body (a form, an image, or JSON); GET and DELETE none.
                    bool hasBody = op.Value.TryGetProperty("requestBody", out var body);
                    Assert.True(hasBody == (op.Name is "post" or "put"), $"{name}: request body {(hasBody ? "described where none is read" : "not described")}");
                    if (hasBody)
                        foreach (var media in body.GetProperty("content").EnumerateObject())
                            Assert.True(media.Value.TryGetProperty("schema", out _), $"{name}: request {media.Name} without a schema");
                }
            }
        }
        Assert.True(operations.GetValueOrDefault("/api/v1/") == 16 && operations.GetValueOrDefault("/v1/vision/") == 6,
            $"compat operations: {string.Join(", ", operations.Select(o => $"{o.Key} {o.Value}"))}");

        var paths = doc.GetProperty("paths");
        JsonElement Form(string path, string media = "multipart/form-data") =>
            paths.GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty(media).GetProperty("schema");
        // The form fields the handlers read: DeepStack's image, userid and api_key; CompreFace's two images of a verification, also as base64 JSON.
        var register = Form("/v1/vision/face/register");
        Assert.Equal("binary", register.GetProperty("properties").GetProperty("image").GetProperty("format").GetString());
        Assert.Contains("userid", register.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(Form("/v1/vision/face/list").GetProperty("properties").TryGetProperty("api_key", out _));
        var match = Form("/v1/vision/face/match").GetProperty("properties");
        Assert.True(match.TryGetProperty("image1", out _) && match.TryGetProperty("image2", out _));
        foreach (var (media, format) in new[] { ("multipart/form-data", "binary"), ("application/json", "byte") })
            foreach (var field in new[] { "source_image", "target_image" })
                Assert.Equal(format, Form("/api/v1/verification/verify", media).GetProperty("properties").GetProperty(field).GetProperty("format").GetString());
        // A CompreFace image is read as everywhere else: raw, multipart or base64 JSON; its query parameters are listed.
        var recognize = paths.GetProperty("/api/v1/recognition/recognize").GetProperty("post");
        var imageBody = recognize.GetProperty("requestBody").GetProperty("content");
        Assert.True(imageBody.TryGetProperty("multipart/form-data", out _) && imageBody.TryGetProperty("image/jpeg", out _) && imageBody.TryGetProperty("application/json", out _));
        Assert.Contains(recognize.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "face_plugins");
        Assert.Equal("#/components/schemas/CompreFaceSubject",
            paths.GetProperty("/api/v1/recognition/subjects").GetProperty("post").GetProperty("requestBody").GetProperty("content")
                .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        // The names are the wire's (snake_case where the products use it), and a plugin's object is optional.
        Assert.True(schemas.GetProperty("CompreFaceExamplePage").GetProperty("properties").TryGetProperty("page_number", out _));
        var face = schemas.GetProperty("CompreFaceRecognizedFace");
        Assert.Equal(["box", "subjects"], face.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(face.GetProperty("properties").TryGetProperty("age", out _));
        Assert.True(schemas.GetProperty("CompreFaceVerification").GetProperty("properties").TryGetProperty("source_image_face", out _));
        Assert.True(schemas.GetProperty("DeepStackRecognizedFace").GetProperty("properties").TryGetProperty("userid", out _));
    }

    [Fact]
    public async Task The_described_compat_bodies_are_the_written_ones()
    {
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?>
        {
            ["CompreFace:Keys:0:Key"] = CompreFaceRecognition, ["CompreFace:Keys:0:Service"] = "recognition", ["CompreFace:Keys:0:Gallery"] = "compreface",
            ["CompreFace:Keys:1:Key"] = CompreFaceDetection, ["CompreFace:Keys:1:Service"] = "detection",
            ["CompreFace:Keys:2:Key"] = CompreFaceVerification, ["CompreFace:Keys:2:Service"] = "verification",
            ["DeepStack:ApiKeys:0"] = DeepStackKey,
        });
        await host.StartAsync();
        var doc = await host.GetJsonAsync("openapi/v1.json");
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var people = await SamplePeople.CropAsync(host.Services.GetRequiredService<Router.Models.Faces.IFaceAnalyzer>(), host.Root);
        var answered = new HashSet<string>();

        // Sends a request, checks its status, and checks the body against the schema that the document gives for that operation and status.
        async Task<JsonElement> Answer(HttpMethod method, string path, string template, HttpStatusCode status, HttpContent? content = null,
            string? key = CompreFaceRecognition)
        {
            using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
            if (key is not null) request.Headers.Add("x-api-key", key);
            using var response = await host.Http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
            var described = doc.GetProperty("paths").GetProperty(template).GetProperty(method.Method.ToLowerInvariant()).GetProperty("responses")
                .GetProperty(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("content");
            var media = response.Content.Headers.ContentType!.MediaType!;
            Assert.True(described.TryGetProperty(media, out var schema), $"{method} {template} {(int)status}: {media} is not described");
            if ((int)status < 300) answered.Add($"{method.Method} {template}");
            if (media != "application/json") return default;
            var body = JsonDocument.Parse(bytes).RootElement.Clone();
            AssertValid(schemas, schema.GetProperty("schema"), body, $"{method} {template} {(int)status}");
            return body;
        }
        static ByteArrayContent Json(string json) => new(Encoding.UTF8.GetBytes(json)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        static MultipartFormDataContent Upload(byte[] image, string field = "file")
        {
            var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(image);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, field, field + ".jpg");
            return form;
        }

        // CompreFace: subjects, examples, recognition, the detection and verification services, and its errors.
        const string Subjects = "/api/v1/recognition/subjects", Faces = "/api/v1/recognition/faces";
        await Answer(HttpMethod.Post, Subjects, Subjects, HttpStatusCode.Created, Json("""{"subject":"Bea"}"""));
        await Answer(HttpMethod.Post, Subjects, Subjects, HttpStatusCode.BadRequest, Json("""{"subject":"Bea"}"""));
        await Answer(HttpMethod.Get, Subjects, Subjects, HttpStatusCode.Unauthorized, key: null);
        await Answer(HttpMethod.Get, Subjects, Subjects, HttpStatusCode.Forbidden, key: CompreFaceDetection);
        var example = await Answer(HttpMethod.Post, Faces + "?subject=Ann", Faces, HttpStatusCode.OK, Upload(people.Ann));
        var imageId = example.GetProperty("image_id").GetString()!;
        await Answer(HttpMethod.Get, Subjects, Subjects, HttpStatusCode.OK);
        await Answer(HttpMethod.Get, Faces + "?page=0&size=1", Faces, HttpStatusCode.OK);
        const string AllPlugins = "face_plugins=age,gender,pose,calculator";
        var recognized = await Answer(HttpMethod.Post, "/api/v1/recognition/recognize?" + AllPlugins, "/api/v1/recognition/recognize", HttpStatusCode.OK,
            Upload(people.AnnAgain));
        foreach (var plugin in new[] { "age", "gender", "pose", "embedding" }) // every optional object was written, and checked
            Assert.True(recognized.GetProperty("result")[0].TryGetProperty(plugin, out _), plugin);
        const string Verify = "/api/v1/recognition/faces/{imageId}/verify";
        await Answer(HttpMethod.Post, $"{Faces}/{imageId}/verify?{AllPlugins}", Verify, HttpStatusCode.OK, Upload(people.AnnAgain));
        await Answer(HttpMethod.Post, $"{Faces}/00000000-0000-0000-0000-000000000999/verify", Verify, HttpStatusCode.NotFound, Upload(people.AnnAgain));
        await Answer(HttpMethod.Get, $"{Faces}/{imageId}/img", "/api/v1/recognition/faces/{imageId}/img", HttpStatusCode.OK);
        var detected = await Answer(HttpMethod.Post, "/api/v1/detection/detect?" + AllPlugins, "/api/v1/detection/detect", HttpStatusCode.OK,
            Upload(people.Stranger), CompreFaceDetection);
        var pair = new MultipartFormDataContent { { new ByteArrayContent(people.Ann), "source_image", "a.jpg" }, { new ByteArrayContent(people.AnnAgain), "target_image", "b.jpg" } };
        await Answer(HttpMethod.Post, "/api/v1/verification/verify?face_plugins=age", "/api/v1/verification/verify", HttpStatusCode.OK, pair, CompreFaceVerification);
        var embedding = detected.GetProperty("result")[0].GetProperty("embedding").GetRawText();
        await Answer(HttpMethod.Post, "/api/v1/recognition/embeddings/recognize", "/api/v1/recognition/embeddings/recognize", HttpStatusCode.OK,
            Json($$"""{"embeddings":[{{embedding}}]}"""));
        const string Subject = "/api/v1/recognition/subjects/{subject}";
        await Answer(HttpMethod.Put, Subjects + "/Ann", Subject, HttpStatusCode.OK, Json("""{"subject":"Bea"}""")); // merged into Bea
        await Answer(HttpMethod.Put, Subjects + "/Ann", Subject, HttpStatusCode.NotFound, Json("""{"subject":"Cy"}"""));
        var second = await Answer(HttpMethod.Post, Faces + "?subject=Bea", Faces, HttpStatusCode.OK, Upload(people.AnnAgain));
        await Answer(HttpMethod.Delete, $"{Faces}/{second.GetProperty("image_id").GetString()}", "/api/v1/recognition/faces/{imageId}", HttpStatusCode.OK);
        var deleted = await Answer(HttpMethod.Post, Faces + "/delete", Faces + "/delete", HttpStatusCode.OK,
            Json($"""["{imageId}","00000000-0000-0000-0000-000000000999"]"""));
        Assert.Single(deleted.EnumerateArray());
        await Answer(HttpMethod.Post, Faces + "?subject=Bea", Faces, HttpStatusCode.OK, Upload(people.Ann));
        Assert.Equal(1, (await Answer(HttpMethod.Delete, Faces + "?subject=Bea", Faces, HttpStatusCode.OK)).GetProperty("deleted").GetInt32());
        await Answer(HttpMethod.Delete, Subjects + "/Bea", Subject, HttpStatusCode.OK);
        await Answer(HttpMethod.Delete, Subjects + "/Bea", Subject, HttpStatusCode.NotFound);
        await Answer(HttpMethod.Post, Subjects, Subjects, HttpStatusCode.Created, Json("""{"subject":"Cy"}"""));
        Assert.Equal(1, (await Answer(HttpMethod.Delete, Subjects, Subjects, HttpStatusCode.OK)).GetProperty("deleted").GetInt32());

        // DeepStack: multipart forms with the api_key field.
        MultipartFormDataContent Form(Dictionary<string, string> fields, params (string Name, byte[] Image)[] images)
        {
            var form = new MultipartFormDataContent();
            foreach (var (name, image) in images) form.Add(new ByteArrayContent(image), name, name + ".jpg");
            foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
            return form;
        }
        var withKey = new Dictionary<string, string> { ["api_key"] = DeepStackKey };
        const string Face = "/v1/vision/face";
        await Answer(HttpMethod.Post, Face + "/register", Face + "/register", HttpStatusCode.OK, Form(new(withKey) { ["userid"] = "Ann" }, ("image", people.Ann)), null);
        await Answer(HttpMethod.Post, Face + "/register", Face + "/register", HttpStatusCode.BadRequest, Form(withKey, ("image", people.Ann)), null);
        await Answer(HttpMethod.Post, Face + "/list", Face + "/list", HttpStatusCode.OK, Form(withKey), null);
        await Answer(HttpMethod.Post, Face + "/list", Face + "/list", HttpStatusCode.Unauthorized, Form(new() { ["api_key"] = "wrong" }), null);
        var seen = await Answer(HttpMethod.Post, Face + "/recognize", Face + "/recognize", HttpStatusCode.OK,
            Form(withKey, ("image", people.AnnAgain)), null);
        Assert.Equal("Ann", seen.GetProperty("predictions")[0].GetProperty("userid").GetString());
        await Answer(HttpMethod.Post, Face, Face, HttpStatusCode.OK, Form(new(withKey) { ["min_confidence"] = "0.5" }, ("image", people.Stranger)), null);
        await Answer(HttpMethod.Post, Face + "/match", Face + "/match", HttpStatusCode.OK, Form(withKey, ("image1", people.Ann), ("image2", people.Stranger)), null);
        await Answer(HttpMethod.Post, Face + "/delete", Face + "/delete", HttpStatusCode.OK, Form(new(withKey) { ["userid"] = "Ann" }), null);

        // Every compatible operation's success answer was checked against its description.
        var all = doc.GetProperty("paths").EnumerateObject().Where(p => CompatApis.Any(a => p.Name.StartsWith(a.Prefix, StringComparison.Ordinal)))
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}")).ToHashSet();
        Assert.Empty(all.Except(answered));
    }

    /// <summary>Every member written is described and every required one is written, at every depth.</summary>
    private static void AssertMatches(JsonElement schemas, string schemaName, JsonElement body) =>
        AssertValid(schemas, schemas.GetProperty(schemaName), body, schemaName);

    /// <summary>
    /// The body matches the schema, at every depth: every member written is described (a property, or
    /// additionalProperties), every required property is written, and values have their schema's type
    /// ($ref, anyOf/oneOf, enum, type, properties, items).
    /// </summary>
    private static void AssertValid(JsonElement schemas, JsonElement schema, JsonElement body, string what)
    {
        var problem = Mismatch(schemas, schema, body, "$");
        Assert.True(problem is null, $"{what}: {problem}\n{body}");
    }

    private static string? Mismatch(JsonElement schemas, JsonElement schema, JsonElement value, string at)
    {
        while (schema.TryGetProperty("$ref", out var reference))
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        foreach (var combinator in new[] { "anyOf", "oneOf" })
        {
            if (!schema.TryGetProperty(combinator, out var options)) continue;
            var problems = options.EnumerateArray().Select(o => Mismatch(schemas, o, value, at)).ToList();
            if (problems.All(p => p is not null)) return $"{at}: matches none of its {combinator} ({string.Join("; ", problems)})";
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetRawText() == value.GetRawText()))
            return $"{at}: {value.GetRawText()} is not one of {values.GetRawText()}";
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!types.Any(t => Is(t, value))) return $"{at}: {value.GetRawText()} is not of type {type.GetRawText()}";
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            bool hasProperties = schema.TryGetProperty("properties", out var properties);
            bool hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
            foreach (var member in value.EnumerateObject())
            {
                if (hasProperties && properties.TryGetProperty(member.Name, out var property))
                {
                    if (Mismatch(schemas, property, member.Value, $"{at}.{member.Name}") is { } problem) return problem;
                }
                else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
                {
                    if (Mismatch(schemas, additional, member.Value, $"{at}.{member.Name}") is { } problem) return problem;
                }
                else if (hasProperties || hasAdditional) return $"{at}: '{member.Name}' is written but not described";
            }
            if (schema.TryGetProperty("required", out var required))
                foreach (var r in required.EnumerateArray())
                    if (!value.TryGetProperty(r.GetString()!, out _)) return $"{at}: required '{r}' is not written";
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            int i = 0;
            foreach (var item in value.EnumerateArray())
                if (Mismatch(schemas, items, item, $"{at}[{i++}]") is { } problem) return problem;
        }
        return null;
    }

    private static bool Is(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => throw new InvalidOperationException($"unknown schema type '{type}'"),
    };
}
