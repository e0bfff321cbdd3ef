using Router.Abstractions;
using Router.Host.Ingest;
using Xunit;

namespace Router.Host.Tests.Ingest;

public class CameraSettingsTests
{
    [Fact]
    public void Defaults_are_FindFace_defaults_and_valid()
    {
        var s = CameraSettings.Default;
        Assert.Empty(s.Problems());
        Assert.Equal((40, 8192, 0.0, 95, 0.25, 1.0, 0, 1.0), (s.FilterMinSize, s.FilterMaxSize, s.FilterMinQuality, s.JpegQuality, s.TrackOverlapThreshold, s.TrackMissInterval, s.TrackMaxDurationFrames, s.RealtimePostInterval));
        Assert.Equal(BestShotTypes.Overall, s.BsType);
    }

    [Theory]
    [InlineData("bs_type")]
    [InlineData("jpeg_quality")]
    [InlineData("filter_min_quality")]
    [InlineData("play_speed")]
    [InlineData("roi")]
    public void Bad_settings_are_bad_param_naming_the_setting(string name)
    {
        var bad = name switch
        {
            "bs_type" => CameraSettings.Default with { BsType = "sometimes" },
            "jpeg_quality" => CameraSettings.Default with { JpegQuality = 0 },
            "filter_min_quality" => CameraSettings.Default with { FilterMinQuality = 2 },
            "play_speed" => CameraSettings.Default with { PlaySpeed = 0 },
            _ => CameraSettings.Default with { Roi = "1,1 2,2" },
        };
        var e = Assert.Throws<RouterException>(() => bad.Validated());
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Equal(name, e.Param);
    }

    [Fact]
    public void Settings_read_from_json_with_FindFace_names()
    {
        var json = """{"detect_fps": 2.5, "bs_type": "realtime", "realtime_post_every_interval": true, "labels": {"zone": "door"}}""";
        var s = System.Text.Json.JsonSerializer.Deserialize<CameraSettings>(json)!;
        Assert.Equal(2.5, s.DetectFps);
        Assert.Equal("realtime", s.BsType);
        Assert.True(s.RealtimePostEveryInterval);
        Assert.Equal("door", s.Labels["zone"]);
    }
}
