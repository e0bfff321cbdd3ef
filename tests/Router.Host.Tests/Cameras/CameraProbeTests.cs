using System.Net.Http.Json;
using System.Text.Json;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Cameras;

/// <summary>
/// A camera put over the API is probed with ffprobe (FFMpegCore): its view shows the source's codec,
/// size and frame rate within seconds, or why the source has no video (unreachable, not a video).
/// </summary>
public sealed class CameraProbeTests : IAsyncLifetime
{
    private RouterTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = new RouterTestHost(RouterTestHost.NewRoot(), []);
        await _host.StartAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> ProbeOf(string id, string url)
    {
        (await _host.Http.PutAsJsonAsync($"v1/cameras/{id}", new { stream_url = url, enabled = false })).EnsureSuccessStatusCode();
        JsonElement probe = default;
        Assert.True(await RouterTestHost.WaitForAsync(async () =>
            (await _host.GetJsonAsync($"v1/cameras/{id}")).TryGetProperty("probe", out probe), TimeSpan.FromSeconds(20)), $"{id} was not probed");
        return probe.Clone();
    }

    [Fact]
    public async Task The_view_shows_what_the_source_holds_or_why_it_holds_no_video()
    {
        var clips = Directory.CreateDirectory(Path.Combine(_host.Root, "data", "clips")).FullName;
        var clip = Path.Combine(clips, "pattern.mp4");
        await Ffmpeg.RunAsync(["-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip],
            TimeSpan.FromSeconds(60));
        var video = await ProbeOf("clip", clip);
        Assert.Equal(("h264", 320, 240, 10.0), (video.GetProperty("codec").GetString(), video.GetProperty("width").GetInt32(),
            video.GetProperty("height").GetInt32(), video.GetProperty("fps").GetDouble()));
        Assert.False(video.TryGetProperty("error", out _));

        var text = Path.Combine(clips, "notes.mp4");
        await File.WriteAllTextAsync(text, "not a video at all");
        Assert.False(string.IsNullOrEmpty((await ProbeOf("text", text)).GetProperty("error").GetString()));

        var unreachable = await ProbeOf("away", "rtsp://127.0.0.1:9/nothing");
        Assert.False(string.IsNullOrEmpty(unreachable.GetProperty("error").GetString()));
        Assert.False(unreachable.TryGetProperty("codec", out _));
    }
}
