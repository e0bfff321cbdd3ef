using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Host.Pipeline;
using Xunit;

namespace Router.Host.Tests.Ingest;

public class CameraConfigurationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddVideoPipeline(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Cameras_bind_from_configuration_with_FindFace_setting_names()
    {
        using var services = Build(new()
        {
            ["Cameras:door:Url"] = "rtsp://10.0.0.5/main",
            ["Cameras:door:Settings:detect_fps"] = "2.5",
            ["Cameras:door:Settings:bs_type"] = "realtime",
            ["Cameras:door:Settings:roi"] = "640x360+100+50",
            ["Cameras:door:Settings:labels:zone"] = "entrance",
        });
        var camera = Assert.Single(services.GetRequiredService<IOptions<CamerasOptions>>().Value.Definitions());
        Assert.Equal("door", camera.Id);
        Assert.Equal(2.5, camera.Settings.DetectFps);
        Assert.Equal("realtime", camera.Settings.BsType);
        Assert.Equal("entrance", camera.Settings.Labels["zone"]);
        Assert.Equal(Router.Host.Ingest.CameraSettings.Default.FilterMinSize, camera.Settings.FilterMinSize); // default kept
        Assert.IsType<LoggingFaceEventSink>(services.GetRequiredService<IFaceEventSink>());
    }

    [Fact]
    public void Invalid_camera_settings_fail_validation_naming_camera_and_setting()
    {
        using var services = Build(new()
        {
            ["Cameras:door:Url"] = "rtsp://10.0.0.5/main",
            ["Cameras:door:Settings:jpeg_quality"] = "0",
            ["Cameras:lobby:Settings:detect_fps"] = "5",
        });
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CamerasOptions>>().Value);
        Assert.Contains(e.Failures, f => f.Contains("camera door: jpeg_quality=0"));
        Assert.Contains(e.Failures, f => f.Contains("camera lobby: Url is required"));
    }

    [Fact]
    public void A_registered_sink_replaces_the_logging_sink()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddLogging().AddFaceEventSink<CollectingFaceEventSink>().AddVideoPipeline(configuration).BuildServiceProvider();
        Assert.IsType<CollectingFaceEventSink>(services.GetRequiredService<IFaceEventSink>());
    }
}
