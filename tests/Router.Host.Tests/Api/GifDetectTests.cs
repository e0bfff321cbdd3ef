using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>Issue 12, item 7: GIF is a format the decoder reads, so a body labelled image/gif is detected, not refused by its label.</summary>
public sealed class GifDetectTests
{
    [Fact]
    public async Task An_image_gif_body_is_detected()
    {
        var gif = Path.Combine(Path.GetTempPath(), $"router-gif-{Guid.NewGuid():N}.gif");
        try
        {
            await Ffmpeg.RunAsync(["-y", "-loglevel", "error", "-i", SamplePhotos.PathOf("sample1.jpg"), "-frames:v", "1", gif], TimeSpan.FromSeconds(30));
            // The composed host of `router run`, which has the face models.
            await using var host = new RouterTestHost(RouterTestHost.NewRoot(), []);
            await host.StartAsync();
            var http = host.Http;
            var content = new ByteArrayContent(await File.ReadAllBytesAsync(gif));
            content.Headers.ContentType = new MediaTypeHeaderValue("image/gif");
            using var response = await http.PostAsync("v1/detect", content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
            Assert.NotEmpty(JsonDocument.Parse(text).RootElement.GetProperty("faces").EnumerateArray());
        }
        finally { File.Delete(gif); }
    }
}
