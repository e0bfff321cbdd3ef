using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Router.Tests.Common.Servers;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// The composed host of `router run` with a camera on a real RTSP server (rtsp-server-perl, an
/// ffmpeg publisher looping a clip of a sample photo), managed over the HTTP API; then a
/// restart on the same data folder.
/// </summary>
public sealed class RouterRunTests
{
    [Fact]
    public async Task A_camera_put_over_the_api_streams_events_to_the_feed_and_survives_a_restart()
    {
        var clip = await TestVideos.StillAsync("sample2.jpg", 4);
        await using var rtsp = new RtspPerlServer();
        await rtsp.StartAsync();
        await using var publisher = ClipPublisher.Rtsp(clip, rtsp.PublishUrl("lobby"));
        await publisher.StartAsync();

        var root = RouterTestHost.NewRoot();
        var first = new RouterTestHost(root, ["eventlog", "visitors"]);
        await SamplePluginFolders.CopyAsync(first.PluginsDirectory, "eventlog", "visitors");
        await first.StartAsync();
        var http = first.Http;

        // Bad input: clear errors, nothing stored.
        await AssertError(await Put(http, "lobby", new { stream_url = rtsp.PlayUrl("lobby"), settings = new { detect_fps = -1 } }), HttpStatusCode.BadRequest, "BAD_PARAM", "settings.detect_fps");
        await AssertError(await Put(http, "lobby", new { stream_url = rtsp.PlayUrl("lobby"), settings = new { no_such_setting = 1 } }), HttpStatusCode.BadRequest, "BAD_PARAM", "settings.no_such_setting");
        await AssertError(await Put(http, "lobby", new { settings = new { } }), HttpStatusCode.BadRequest, "BAD_PARAM", "stream_url");
        await AssertError(await http.GetAsync("v1/cameras/nowhere"), HttpStatusCode.NotFound, "NOT_FOUND", "id");
        await AssertError(await http.GetAsync("v1/events?since=yesterday"), HttpStatusCode.BadRequest, "BAD_PARAM", "since");
        await AssertError(await http.GetAsync("v1/events?limit=0"), HttpStatusCode.BadRequest, "BAD_PARAM", "limit");
        Assert.Empty((await first.GetJsonAsync("v1/cameras")).GetProperty("cameras").EnumerateArray());

        // Listen to the stream before the camera exists.
        using var streamCts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/events/stream"), HttpCompletionOption.ResponseHeadersRead, streamCts.Token);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var firstStreamed = ReadFirstEventAsync(await stream.Content.ReadAsStreamAsync(streamCts.Token), streamCts.Token);

        var created = await Put(http, "lobby", new
        {
            stream_url = rtsp.PlayUrl("lobby"),
            labels = new Dictionary<string, string> { ["zone"] = "entrance" },
            settings = new { rtsp_transport = "udp", bs_type = "realtime", realtime_post_interval = 0.5, realtime_post_every_interval = true, filter_min_quality = 0, filter_min_size = 40 },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var streamed = await firstStreamed;
        Assert.Equal("lobby", streamed.GetProperty("cam_id").GetString());
        Assert.Equal("entrance", streamed.GetProperty("labels").GetProperty("zone").GetString());
        Assert.Contains(streamed.GetProperty("plugins").EnumerateArray(), p => p.GetProperty("plugin").GetString() == "eventlog" && p.GetProperty("outcome").GetString() == "processed");

        JsonElement camera = default;
        Assert.True(await RouterTestHost.WaitForAsync(async () =>
        {
            camera = (await first.GetJsonAsync("v1/cameras")).GetProperty("cameras").EnumerateArray().Single();
            var s = camera.GetProperty("statistics");
            return s.GetProperty("frames_processed").GetInt64() > 5 && s.GetProperty("faces_posted").GetInt64() > 0;
        }, TimeSpan.FromSeconds(30)), $"statistics did not move: {camera}");
        Assert.Equal("api", camera.GetProperty("source").GetString());
        Assert.Equal("streaming", camera.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal(1, camera.GetProperty("statistics").GetProperty("job_starts").GetInt64());

        var listing = await first.GetJsonAsync("v1/events?cam_id=lobby&limit=50");
        var events = listing.GetProperty("events").EnumerateArray().ToList();
        Assert.True(listing.GetProperty("routing").GetProperty("routed").GetInt64() >= events.Count);
        Assert.Equal(0, listing.GetProperty("routing").GetProperty("failed").GetInt64());
        Assert.NotEmpty(events);
        var ids = events.Select(e => ulong.Parse(e.GetProperty("id").GetString()!)).ToList();
        var times = events.Select(e => e.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times); // newest first
        Assert.Empty((await first.GetJsonAsync("v1/events?cam_id=elsewhere")).GetProperty("events").EnumerateArray());
        Assert.Empty((await first.GetJsonAsync($"v1/events?since={DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}")).GetProperty("events").EnumerateArray());
        using (var face = await http.GetAsync($"v1/events/{ids[0]}/face"))
        {
            Assert.Equal(HttpStatusCode.OK, face.StatusCode);
            Assert.Equal("image/jpeg", face.Content.Headers.ContentType?.MediaType);
            var jpeg = await face.Content.ReadAsByteArrayAsync();
            Assert.True(jpeg.Length > 100 && jpeg[0] == 0xFF && jpeg[1] == 0xD8);
        }
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("v1/galleries/kept", null)).StatusCode);

        // Restart on the same data folder: the camera and the galleries are still there, and the camera runs again.
        streamCts.Cancel();
        await first.StopAsync();
        first.Http.Dispose();
        await using var second = new RouterTestHost(root, ["eventlog", "visitors"]);
        await second.StartAsync();
        var galleries = (await second.GetJsonAsync("v1/galleries")).ToString();
        Assert.Contains("\"kept\"", galleries);
        Assert.Contains("\"visitors\"", galleries);
        Assert.True(await RouterTestHost.WaitForAsync(async () =>
        {
            camera = (await second.GetJsonAsync("v1/cameras/lobby"));
            return camera.GetProperty("statistics").GetProperty("frames_processed").GetInt64() > 0;
        }, TimeSpan.FromSeconds(30)), $"the stored camera did not run again: {camera}");
        Assert.Equal("entrance", camera.GetProperty("labels").GetProperty("zone").GetString());

        // Disabled: kept but stopped; deleted: gone.
        var disabled = await Put(second.Http, "lobby", new { stream_url = rtsp.PlayUrl("lobby"), enabled = false, settings = new { rtsp_transport = "udp" } });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        camera = await second.GetJsonAsync("v1/cameras/lobby");
        Assert.Equal("disabled", camera.GetProperty("status").GetProperty("state").GetString());
        Assert.False(camera.TryGetProperty("statistics", out _));
        Assert.Equal(HttpStatusCode.NoContent, (await second.Http.DeleteAsync("v1/cameras/lobby")).StatusCode);
        await AssertError(await second.Http.GetAsync("v1/cameras/lobby"), HttpStatusCode.NotFound, "NOT_FOUND", "id");
    }

    private static Task<HttpResponseMessage> Put(HttpClient http, string id, object body) =>
        http.PutAsync($"v1/cameras/{id}", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string code, string param)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(param, body.GetProperty("param").GetString());
        response.Dispose();
    }

    private static async Task<JsonElement> ReadFirstEventAsync(Stream stream, CancellationToken ct)
    {
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
        throw new InvalidOperationException("the event stream ended without an event");
    }
}
