using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Host.Cameras;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// Issue 12, item 1, against the composed host and real ffmpeg: camera settings cannot make
/// ffmpeg write a file, over the API or from a cameras.json written before the rules; a clip in
/// the data folder (as the demo's) still streams with the options the demo uses.
/// </summary>
public sealed class CameraSourceSafetyTests
{
    private static readonly string[] Writer = ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=1:d=2", "-map", "0:v", "-frames:v", "1", "-update", "1", "-y"];

    /// <summary>A test host's root with a clip outside it and a copy inside its data folder; <c>pwned</c> is where an exploit would write.</summary>
    private static async Task<(string Root, string Pwned, string Outside, string Inside)> RootWithClipAsync()
    {
        var root = RouterTestHost.NewRoot();
        var outside = await TestVideos.StillAsync("sample2.jpg", 2);
        var inside = Path.Combine(root, "data", "clips", "lobby.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
        File.Copy(outside, inside);
        return (root, Path.Combine(root, "pwned.jpg"), outside, inside);
    }

    [Fact]
    public async Task A_put_cannot_make_ffmpeg_write_a_file_or_read_outside_the_data_folder()
    {
        var (root, pwned, outside, inside) = await RootWithClipAsync();
        await using var host = new RouterTestHost(root, []);
        await host.StartAsync();

        await AssertBadParam(await Put(host.Http, "x", new { stream_url = inside, settings = new { ffmpeg_params = Writer.Append(pwned) } }), "settings.ffmpeg_params");
        await AssertBadParam(await Put(host.Http, "x", new { stream_url = outside }), "stream_url");
        await AssertBadParam(await Put(host.Http, "x", new { stream_url = "concat:" + inside + "|" + outside }), "stream_url");
        await AssertBadParam(await Put(host.Http, "x", new { stream_url = "file://" + outside }), "stream_url");
        Assert.Empty((await host.GetJsonAsync("v1/cameras")).GetProperty("cameras").EnumerateArray());

        // The clip in the data folder, looped in real time as the demo does: it streams.
        var created = await Put(host.Http, "lobby", new { stream_url = inside, settings = new { play_speed = 1, ffmpeg_params = new[] { "-stream_loop", "-1" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        JsonElement camera = default;
        Assert.True(await RouterTestHost.WaitForAsync(async () =>
        {
            camera = await host.GetJsonAsync("v1/cameras/lobby");
            return camera.GetProperty("statistics").GetProperty("frames_processed").GetInt64() > 2;
        }, TimeSpan.FromSeconds(30)), $"the clip in the data folder did not stream: {camera}");
        Assert.False(File.Exists(pwned), "ffmpeg wrote the file named in ffmpeg_params");
    }

    [Fact]
    public async Task A_stored_camera_that_would_write_a_file_is_reported_invalid_and_not_run()
    {
        var (root, pwned, clip, inside) = await RootWithClipAsync();
        // cameras.json as an older version (or a hand edit) left it.
        var store = new CameraStore(Path.Combine(root, "data", "cameras.json"));
        var parameters = new JsonArray(Writer.Append(pwned).Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        store.Put(new CameraRecord { Id = "writer", StreamUrl = inside, Settings = new JsonObject { ["ffmpeg_params"] = parameters } });
        store.Put(new CameraRecord { Id = "reader", StreamUrl = clip });
        await using var host = new RouterTestHost(root, []);
        await host.StartAsync();

        await Task.Delay(TimeSpan.FromSeconds(3)); // what an ffmpeg started with these options would need to write the file
        Assert.False(File.Exists(pwned), "the stored camera ran ffmpeg with its output options");
        var writer = (await host.GetJsonAsync("v1/cameras/writer")).GetProperty("status");
        Assert.Equal("invalid", writer.GetProperty("state").GetString());
        Assert.Equal("BAD_PARAM", writer.GetProperty("error_code").GetString());
        Assert.StartsWith("settings.ffmpeg_params:", writer.GetProperty("last_error").GetString());
        var reader = (await host.GetJsonAsync("v1/cameras/reader")).GetProperty("status");
        Assert.Equal(("invalid", "BAD_PARAM"), (reader.GetProperty("state").GetString(), reader.GetProperty("error_code").GetString()));
        Assert.StartsWith("stream_url:", reader.GetProperty("last_error").GetString());
        Assert.Contains(host.Log.Entries, e => e.Message.Contains("camera writer: not started: BAD_PARAM", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> Put(HttpClient http, string id, object body) =>
        http.PutAsync($"v1/cameras/{id}", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    private static async Task AssertBadParam(HttpResponseMessage response, string param)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("BAD_PARAM", body.GetProperty("code").GetString());
        Assert.Equal(param, body.GetProperty("param").GetString());
        response.Dispose();
    }
}
