using Router.Host.Ingest;
using Xunit;

namespace Router.Host.Tests.Ingest;

public class FfmpegParsingTests
{
    [Fact]
    public void Showinfo_frame_line_gives_size_and_time()
    {
        const string line = "[Parsed_showinfo_1 @ 0x55a03cc8bc00] n:   1 pts:   2560 pts_time:0.2     pos:    10276 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:0 type:P checksum:AACC042F";
        Assert.True(FfmpegFrameReader.TryParseFrameInfo(line, out var info));
        Assert.Equal(new FrameInfo(320, 240, 0.2), info);
        Assert.False(FfmpegFrameReader.TryParseFrameInfo("[Parsed_showinfo_1 @ 0x1] config in time_base: 1/12800, frame_rate: 25/1", out _));
    }

    [Fact]
    public void Input_stream_line_gives_fps()
    {
        Assert.Equal(25, FfmpegFrameReader.ParseFps("  Stream #0:0[0x1](und): Video: h264 (High), yuv420p(progressive), 320x240 [SAR 1:1 DAR 4:3], 296 kb/s, 25 fps, 25 tbr, 12800 tbn (default)"));
        Assert.Equal(29.97, FfmpegFrameReader.ParseFps("  Stream #0:0: Video: h264, yuv420p, 1920x1080, 29.97 tbr, 90k tbn"));
        Assert.True(double.IsNaN(FfmpegFrameReader.ParseFps("  Stream #0:0: Video: h264, yuv420p, 1920x1080")));
    }

    [Fact]
    public void Rtsp_gets_transport_and_timeout_files_get_readrate()
    {
        var rtsp = FfmpegArguments.Build("rtsp://127.0.0.1:8554/cam", new CameraSettings { StallTimeout = 2 });
        Assert.Equal(["-rtsp_transport", "tcp", "-timeout", "2000000"], rtsp.SkipWhile(a => a != "-rtsp_transport").Take(4));
        var file = FfmpegArguments.Build("/videos/a.mp4", new CameraSettings { PlaySpeed = 1 });
        Assert.Contains("-readrate", file);
        Assert.Contains("passthrough", file);
        Assert.DoesNotContain("-readrate", FfmpegArguments.Build("/videos/a.mp4", new CameraSettings { PlaySpeed = -1 }));
    }

    [Fact]
    public void Network_streams_decode_with_low_delay_unless_turned_off()
    {
        Assert.Equal(["-flags", "low_delay"], FfmpegArguments.Build("rtsp://127.0.0.1:8554/cam", new CameraSettings()).SkipWhile(a => a != "-flags").Take(2));
        Assert.DoesNotContain("low_delay", FfmpegArguments.Build("rtsp://127.0.0.1:8554/cam", new CameraSettings { LowDelay = false }));
        Assert.DoesNotContain("low_delay", FfmpegArguments.Build("/videos/a.mp4", new CameraSettings { PlaySpeed = 1 }));
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_resets()
    {
        var b = new RestartBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3));
        Assert.Equal(new[] { 0.5, 1, 2, 3, 3 }, Enumerable.Range(0, 5).Select(_ => b.Next().TotalSeconds));
        b.Reset();
        Assert.Equal(0.5, b.Next().TotalSeconds);
    }
}
