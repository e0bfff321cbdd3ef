using Router.Tests.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Abstractions;
using Router.Host.Api;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>What only the HTTP surface has: status codes, JSON shapes, query parsing, body limits, keys, OpenAPI.</summary>
public sealed class HttpApiTests : IAsyncLifetime
{
    private readonly GalleryBackend _backend = GalleryBackend.Sqlite();
    private ApiTestServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _backend.Settings["Api:MaxBodyBytes"] = "4096";
        _server = await ApiTestServer.StartAsync(_backend.Settings);
        _http = _server.NewHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _backend.Dispose();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Read(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text); // never a stack trace
        return (r.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<(HttpStatusCode, JsonElement)> Send(HttpMethod method, string url, string? json = null) =>
        SendRaw(method, url, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<(HttpStatusCode, JsonElement)> SendRaw(HttpMethod method, string url, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        using var response = await _http.SendAsync(request);
        return await Read(response);
    }

    private static void AssertError((HttpStatusCode Status, JsonElement Body) r, HttpStatusCode status, string code, string? param = null, string? value = null)
    {
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(r.Body.GetProperty("reason").GetString()));
        if (param is not null) Assert.Equal(param, r.Body.GetProperty("param").GetString());
        if (value is not null) Assert.Equal(value, r.Body.GetProperty("value").GetString());
    }

    private async Task<string> FaceWithMeta(long id, string metaJson)
    {
        var det = await _server.CacheDetectionAsync(TestVectors.Random(new Random((int)id)));
        var r = await Send(HttpMethod.Post, $"v1/galleries/g/faces/{id}", $$"""{"from":"detection:{{det}}","meta":{{metaJson}}}""");
        Assert.Equal(HttpStatusCode.Created, r.Item1);
        return det;
    }

    [Fact]
    public async Task Routes_answer_with_the_documented_statuses_and_shapes()
    {
        var created = await Send(HttpMethod.Post, "v1/galleries/g");
        Assert.Equal(HttpStatusCode.Created, created.Item1);
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g"), HttpStatusCode.Conflict, ErrorCodes.Conflict);

        var det = await _server.CacheDetectionAsync(TestVectors.Random(new Random(1)), new FaceAttributes { Age = 30 });
        var (status, face) = await Send(HttpMethod.Post, "v1/galleries/g/faces/5", $$$"""{"from":"detection:{{{det}}}","meta":{"name":"Ann","age":30,"tags":["a","b"]}}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("g", face.GetProperty("id").GetProperty("gallery").GetString());
        Assert.Equal(5, face.GetProperty("id").GetProperty("face").GetInt64());
        Assert.Equal(30, face.GetProperty("meta").GetProperty("age").GetInt64());
        Assert.Equal(30, face.GetProperty("features").GetProperty("age").GetInt32());
        Assert.False(face.TryGetProperty("confidence", out _));

        var (_, generated) = await Send(HttpMethod.Post, "v1/galleries/g/faces", $$"""{"from":"face:g/5","regenerate_attempts":3}""");
        Assert.True(generated.GetProperty("id").GetProperty("face").GetInt64() > 0);

        var (_, galleries) = await Send(HttpMethod.Get, "v1/galleries");
        Assert.Equal(2, galleries.GetProperty("galleries")[0].GetProperty("number").GetInt64());

        var (_, patched) = await Send(HttpMethod.Patch, "v1/galleries/g/faces/5", """{"meta":{"age":31,"name":null}}""");
        Assert.Equal(31, patched.GetProperty("meta").GetProperty("age").GetInt64());
        Assert.Equal("Ann", patched.GetProperty("meta").GetProperty("name").GetString());

        var (_, list) = await Send(HttpMethod.Get, $"v1/galleries/g/faces?looks_like=detection:{det}&threshold=0.9");
        Assert.Equal(1.0, list.GetProperty("results")[0].GetProperty("confidence").GetDouble(), 5);
        // Next to its score, each match carries the false match rate that score has on the shipped calibration.
        Assert.Equal(MatchCalibration.Default.FalseMatchRate(1.0), list.GetProperty("results")[0].GetProperty("far").GetDouble(), 12);
        Assert.InRange(list.GetProperty("results")[0].GetProperty("far").GetDouble(), MatchCalibration.Default.FarFloor, 1e-6);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("next_page").ValueKind);

        var (_, cached) = await Send(HttpMethod.Get, $"v1/detect/{det}");
        Assert.Equal(140, cached.GetProperty("bbox").GetProperty("bottom").GetInt32());
        Assert.Equal(512, cached.GetProperty("facen").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "v1/galleries/g/faces/5")).Item1);
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces/5"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "v1/galleries/g")).Item1);
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces"), HttpStatusCode.NotFound, ErrorCodes.GalleryNotFound);
    }

    [Fact]
    public async Task A_face_too_small_to_recognise_is_refused_for_enrollment_unless_forced()
    {
        await Send(HttpMethod.Post, "v1/galleries/g");
        // 50 px: under the gate's 60 px.
        var small = await _server.CacheDetectionAsync(TestVectors.Random(new Random(7)), box: new BBox(10, 10, 60, 60));
        var refused = await Send(HttpMethod.Post, "v1/galleries/g/faces/1", $$"""{"from":"detection:{{small}}"}""");
        AssertError(refused, HttpStatusCode.UnprocessableEntity, ErrorCodes.EnrollmentRefused, "from", $"detection:{small}");
        Assert.Contains("50 px", refused.Item2.GetProperty("reason").GetString());
        Assert.Contains("force", refused.Item2.GetProperty("reason").GetString());
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces/1"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/1", $$"""{"from":"detection:{{small}}","force":"yes"}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "force");

        var forced = await Send(HttpMethod.Post, "v1/galleries/g/faces/1", $$"""{"from":"detection:{{small}}","force":true}""");
        Assert.Equal(HttpStatusCode.Created, forced.Item1);
        // At the gate's size a face is accepted without force.
        var enough = await _server.CacheDetectionAsync(TestVectors.Random(new Random(8)), box: new BBox(0, 0, EnrollmentGate.MinFaceSize, EnrollmentGate.MinFaceSize));
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "v1/galleries/g/faces/2", $$"""{"from":"detection:{{enough}}"}""")).Item1);
    }

    [Fact]
    public async Task Bad_bodies_are_malformed_or_bad_param_and_lose_nothing()
    {
        await Send(HttpMethod.Post, "v1/galleries/g");
        await FaceWithMeta(1, """{"age":1}""");
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/2", "{not json"), HttpStatusCode.BadRequest, ErrorCodes.MalformedRequest);
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/2", "[1,2]"), HttpStatusCode.BadRequest, ErrorCodes.MalformedRequest);
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/2", """{"meta":{}}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "from");
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/2", """{"from":"elsewhere:1"}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "from", "elsewhere:1");
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/2", """{"from":"face:g/1","meta":{"x":{"y":1}}}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "meta.x");
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/2", """{"from":"face:g/1","meta":{"x":[1]}}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "meta.x");
        AssertError(await Send(HttpMethod.Post, "v1/galleries/g/faces/abc", """{"from":"face:g/1"}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "id", "abc");
        AssertError(await Send(HttpMethod.Patch, "v1/galleries/g/faces/1", """{"meta":{"age":1.5}}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "meta.age");
        AssertError(await Send(HttpMethod.Patch, "v1/galleries/g/faces/1", """{"nometa":1}"""), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "meta");
        var (_, face) = await Send(HttpMethod.Get, "v1/galleries/g/faces/1");
        Assert.Equal(1, face.GetProperty("meta").GetProperty("age").GetInt64());
        var (_, list) = await Send(HttpMethod.Get, "v1/galleries/g/faces");
        Assert.Equal(1, list.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Query_filters_are_parsed_strictly()
    {
        await Send(HttpMethod.Post, "v1/galleries/g");
        await FaceWithMeta(1, """{"age":9,"cam":"a","tags":["x","y"]}""");
        await FaceWithMeta(2, """{"age":10,"cam":"b","tags":["x"]}""");
        await FaceWithMeta(3, """{"age":100,"cam":"c","tags":["y"]}""");
        async Task<long[]> Ids(string query)
        {
            var (status, body) = await Send(HttpMethod.Get, "v1/galleries/g/faces?" + query);
            Assert.Equal(HttpStatusCode.OK, status);
            return body.GetProperty("results").EnumerateArray().Select(f => f.GetProperty("id").GetProperty("face").GetInt64()).ToArray();
        }
        Assert.Equal(new long[] { 2, 3 }, await Ids("meta.age.gte=10"));          // numbers, not text: "9" > "10" as text
        Assert.Equal(new long[] { 1, 3 }, await Ids("meta.age.in=9&meta.age.in=100"));
        Assert.Equal(new long[] { 1, 2 }, await Ids("meta.tags.subset=x"));
        Assert.Equal(new long[] { 1 }, await Ids("meta.tags.subset=x&meta.tags.subset=y"));
        Assert.Equal(new long[] { 1, 3 }, await Ids("id.in=1&id.in=3&id.in=7"));
        Assert.Equal(new long[] { 2 }, await Ids("id.gte=2&id.lte=2"));
        Assert.Equal(new long[] { 3, 2 }, await Ids("sort=-id&limit=2"));
        Assert.Equal(new long[] { 1, 2, 3 }, await Ids("ignore_errors=yes"));
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?id.gte=abc"), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "id.gte", "abc");
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?colour=red"), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "colour", "red");
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?meta.age.like=1"), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "meta.age.like");
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?meta.cam.gte=5&meta.age.gte=x"), HttpStatusCode.BadRequest, ErrorCodes.BadParam);
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?limit=ten"), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "limit", "ten");
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?ignore_errors=maybe"), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "ignore_errors", "maybe");
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?looks_like=face:g&threshold=0.5"), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "looks_like");
        AssertError(await Send(HttpMethod.Get, "v1/galleries/g/faces?looks_like=face:g/1&threshold=high"), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "threshold");
    }

    [Fact]
    public async Task Detect_checks_its_booleans_parameters_and_size()
    {
        var jpeg = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0]);
        jpeg.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        AssertError(await SendRaw(HttpMethod.Post, "v1/detect?facen=maybe", jpeg), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "facen", "maybe");
        var jpeg2 = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0]);
        jpeg2.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        AssertError(await SendRaw(HttpMethod.Post, "v1/detect?colour=1", jpeg2), HttpStatusCode.BadRequest, ErrorCodes.BadParam, "colour");
        var big = new ByteArrayContent(new byte[5000]);
        big.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        AssertError(await SendRaw(HttpMethod.Post, "v1/detect?facen=1", big), HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        // Without a content length the limit still holds while reading.
        var streamed = new StreamContent(new MemoryStream(new byte[5000]));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/detect") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _http.SendAsync(request);
        AssertError(await Read(response), HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        var small = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0]);
        small.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        AssertError(await SendRaw(HttpMethod.Post, "v1/detect?facen=on&gender=0", small), HttpStatusCode.ServiceUnavailable, ErrorCodes.ExtractionError);
        AssertError(await Send(HttpMethod.Get, "v1/detect/nope"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_json_errors()
    {
        AssertError(await Send(HttpMethod.Get, "v1/nothing/here"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var (status, body) = await Send(HttpMethod.Put, "v1/galleries");
        Assert.True(status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, status.ToString());
        Assert.True(body.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_routes()
    {
        var (status, doc) = await Send(HttpMethod.Get, "openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/galleries/{name}/faces/{id}", out _));
        Assert.True(paths.TryGetProperty("/v1/detect", out _));
    }
}
