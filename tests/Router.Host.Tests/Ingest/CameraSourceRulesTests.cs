using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Cameras;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Xunit;

namespace Router.Host.Tests.Ingest;

/// <summary>The allow-list of ffmpeg input options and the stream URL rules (issue 12, item 1).</summary>
public sealed class CameraSourceRulesTests
{
    [Theory]
    [InlineData("-stream_loop", "-1")]
    [InlineData("-rtsp_transport", "tcp", "-timeout", "5000000", "-analyzeduration", "1000000", "-probesize", "500000")]
    [InlineData("-fflags", "+nobuffer+genpts", "-flags", "low_delay", "-re")]
    [InlineData("-rtsp_flags", "prefer_tcp", "-max_delay", "500000", "-reorder_queue_size", "0", "-thread_queue_size", "512", "-use_wallclock_as_timestamps", "1")]
    [InlineData("-hwaccel", "auto", "-skip_frame", "nokey", "-buffer_size", "1048576", "-rw_timeout", "1", "-stimeout", "1")]
    public void What_a_CCTV_user_tunes_is_allowed(params string[] parameters) =>
        Assert.Null(FfmpegInputOptions.FirstProblem(parameters));

    [Theory]
    [InlineData("-y", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=1:d=2", "-map", "0:v", "-frames:v", "1", "-update", "1", "-y", "/tmp/pwned.jpg")]
    [InlineData("-f", "lavfi", "-i", "sine=d=0.1", "-y", "-f", "wav", "/tmp/victim.txt")]
    [InlineData("-i", "/etc/passwd")]
    [InlineData("/tmp/out.mp4")]
    [InlineData("-protocol_whitelist", "file,http,tcp")]
    [InlineData("-filter_complex", "movie=/etc/passwd")]
    [InlineData("-vf", "scale=1:1")]
    [InlineData("-f", "concat")]
    [InlineData("-timeout", "forever")]
    [InlineData("-timeout")]
    [InlineData("-rtsp_flags", "listen")]
    [InlineData("-flags", "+global_header")]
    [InlineData("-stream_loop", "-2")]
    [InlineData("-user_agent", "a\r\nX-Injected: 1")]
    public void Outputs_inputs_filters_and_everything_unlisted_are_refused(params string[] parameters) =>
        Assert.NotNull(FfmpegInputOptions.FirstProblem(parameters));

    [Fact]
    public void Refused_ffmpeg_params_are_BAD_PARAM_on_settings_ffmpeg_params()
    {
        var overrides = JsonNode.Parse("""{"ffmpeg_params": ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=1:d=2", "-y", "/tmp/pwned.jpg"]}""")!.AsObject();
        var e = Assert.Throws<RouterException>(() => CameraSettingsOverrides.Apply(overrides, new Dictionary<string, string>()));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Equal("settings.ffmpeg_params", e.Param);
        Assert.Equal("-f", e.Value);
        Assert.Contains("not a valid value of -f", e.Reason);
    }

    [Fact]
    public void Stream_urls_are_network_streams_of_known_schemes_or_files_under_the_allowed_folders()
    {
        var allowed = Path.Combine(Path.GetTempPath(), "router-sources", Guid.NewGuid().ToString("N")[..8]);
        var policy = new CameraSourcePolicy([allowed]);
        foreach (var ok in new[] { "rtsp://10.0.0.5/main", "RTSPS://cam/x", "rtmp://h/live", "http://cam/mjpg", "https://cam/x.m3u8", "udp://239.0.0.1:1234", "srt://h:9000", Path.Combine(allowed, "clip.mp4"), Path.Combine(allowed, "sub", "clip.mp4") })
            Assert.True(policy.Problem(ok) is null, $"{ok}: {policy.Problem(ok)}");
        foreach (var bad in new[] { "/tmp/v.mp4", "/etc/passwd", Path.Combine(allowed, "..", "escape.mp4"), allowed + "-sibling/clip.mp4", "clip.mp4", "data/demo/demo.mp4",
                     "file:///etc/passwd", "file:/etc/passwd", "concat:/a|/b", "subfile,,start,0,end,0,,:/etc/passwd", "pipe:0", "data:,x", "ftp://h/x", "gopher://h/x", "tcp://h:1", "lavfi://testsrc", "rtsp://cam/\nx", "", " " })
            Assert.True(policy.Problem(bad) is not null, $"{bad} was allowed");
        var e = Assert.Throws<RouterException>(() => policy.Check("/tmp/v.mp4"));
        Assert.Equal(("BAD_PARAM", "stream_url"), (e.Code, e.Param));
        Assert.Contains(allowed, e.Reason);
    }

    [Fact]
    public void A_symbolic_link_cannot_lead_out_of_an_allowed_folder()
    {
        var allowed = Path.Combine(Path.GetTempPath(), "router-sources", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(allowed);
        try
        {
            var link = Path.Combine(allowed, "passwd.mp4");
            File.CreateSymbolicLink(link, "/etc/passwd");
            Assert.NotNull(new CameraSourcePolicy([allowed]).Problem(link));
        }
        finally { Directory.Delete(allowed, true); }
    }

    [Fact]
    public void Configured_cameras_are_checked_at_start_up_against_the_data_folder_by_default()
    {
        var data = Path.Combine(Path.GetTempPath(), "router-sources", Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataDir"] = data,
            ["Cameras:inside:Url"] = Path.Combine(data, "demo", "demo.mp4"),
            ["Cameras:outside:Url"] = "/tmp/v.mp4",
            ["Cameras:writer:Url"] = "rtsp://10.0.0.5/main",
            ["Cameras:writer:Settings:ffmpeg_params:0"] = "-y",
            ["Cameras:writer:Settings:ffmpeg_params:1"] = "/tmp/pwned.jpg",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddVideoPipeline(configuration).BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CamerasOptions>>().Value);
        Assert.Contains(e.Failures, f => f.StartsWith("camera outside: Url=/tmp/v.mp4: local files must lie under", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("camera writer: ffmpeg_params=-y", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Failures, f => f.Contains("camera inside", StringComparison.Ordinal));
    }
}
