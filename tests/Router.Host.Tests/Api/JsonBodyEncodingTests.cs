using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>Issue 12, item 7: JSON bodies whose strings are not valid UTF-8 or hold a lone surrogate are 400 with the JSON error body, not 500.</summary>
public sealed class JsonBodyEncodingTests
{
    public static TheoryData<string, byte[]> Bodies => new()
    {
        { "invalid UTF-8 in a value", Concat("""{"from":"detection:""", [0xFF, 0xFE], "\"}") },
        { "invalid UTF-8 in a meta name", Concat("""{"from":"detection:x","meta":{" """, [0xC3, 0x28], "\":1}}") },
        { "a lone surrogate in a value", Encoding.ASCII.GetBytes("""{"from":"detection:\ud800"}""") },
        { "a lone surrogate in a meta value", Encoding.ASCII.GetBytes("""{"from":"detection:x","meta":{"name":"a\udc00b"}}""") },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bad_strings_are_400_MALFORMED_REQUEST(string what, byte[] body)
    {
        using var backend = GalleryBackend.Sqlite();
        await using var server = await ApiTestServer.StartAsync(backend.Settings);
        using var http = server.NewHttpClient();
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("v1/galleries/g", null)).StatusCode);
        foreach (var (method, path) in new[] { (HttpMethod.Post, "v1/galleries/g/faces"), (HttpMethod.Patch, "v1/galleries/g/faces/1") })
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(new HttpRequestMessage(method, path) { Content = content });
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}, {method} {path}: {(int)response.StatusCode} {text}");
            var error = JsonDocument.Parse(text).RootElement;
            Assert.Equal("MALFORMED_REQUEST", error.GetProperty("code").GetString());
            Assert.Contains("UTF-8", error.GetProperty("reason").GetString());
        }
    }

    /// <summary>Found by fuzzing (fuzz/): a member named twice reached JsonObject, which throws ArgumentException on first read (a 500).</summary>
    [Theory]
    [InlineData("""{"from":"detection:x","from":"face:g/1"}""")]
    [InlineData("""{"from":"detection:x","meta":{"a":1,"a":2}}""")]
    public async Task A_member_named_twice_is_400_MALFORMED_REQUEST(string body)
    {
        using var backend = GalleryBackend.Sqlite();
        await using var server = await ApiTestServer.StartAsync(backend.Settings);
        using var http = server.NewHttpClient();
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("v1/galleries/g", null)).StatusCode);
        using var response = await http.PostAsync("v1/galleries/g/faces", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("MALFORMED_REQUEST", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.Contains("twice", JsonDocument.Parse(text).RootElement.GetProperty("reason").GetString());
    }

    private static byte[] Concat(string head, byte[] bad, string tail) => [.. Encoding.ASCII.GetBytes(head), .. bad, .. Encoding.ASCII.GetBytes(tail)];
}
