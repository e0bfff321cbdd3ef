using System.Text.Json.Nodes;
using Router.Abstractions;
using Router.Host.Cameras;
using Router.Host.Ingest;
using Xunit;

namespace Router.Host.Tests.Cameras;

public sealed class CameraSettingsOverridesTests
{
    [Fact]
    public void Overrides_apply_over_the_defaults_and_labels_merge()
    {
        var s = CameraSettingsOverrides.Apply(JsonNode.Parse("""{"detect_fps": 2, "bs_type": "realtime", "labels": {"a": "1", "b": "2"}}""")!.AsObject(),
            new Dictionary<string, string> { ["b"] = "top" });
        Assert.Equal(2, s.DetectFps);
        Assert.Equal("realtime", s.BsType);
        Assert.Equal(CameraSettings.Default.FilterMinQuality, s.FilterMinQuality); // untouched default
        Assert.Equal("1", s.Labels["a"]);
        Assert.Equal("top", s.Labels["b"]);
    }

    [Theory]
    [InlineData("""{"detect_fps": -1}""", "settings.detect_fps")]
    [InlineData("""{"detect_fps": "fast"}""", "settings.detect_fps")]
    [InlineData("""{"bs_type": "sometimes"}""", "settings.bs_type")]
    [InlineData("""{"no_such_setting": true}""", "settings.no_such_setting")]
    [InlineData("""{"roi": "not a region"}""", "settings.roi")]
    // Found by fuzzing (fuzz/): an empty name and a name given twice threw ArgumentException (a 500).
    [InlineData("""{"": "0"}""", "settings")]
    [InlineData("""{"roi": "x", "roi": "0", "detect_fps": "fast"}""", "settings.detect_fps")]
    public void Bad_settings_are_BAD_PARAM_naming_the_setting(string json, string param)
    {
        var e = Assert.Throws<RouterException>(() => CameraSettingsOverrides.Apply(JsonNode.Parse(json)!.AsObject(), new Dictionary<string, string>()));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Equal(param, e.Param);
    }

    [Fact]
    public void The_store_survives_a_reopen_and_writes_atomically()
    {
        var dir = Path.Combine(Path.GetTempPath(), "router-camera-store", Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var path = Path.Combine(dir, "cameras.json");
            var store = new CameraStore(path);
            store.Put(new CameraRecord { Id = "b", StreamUrl = "rtsp://x/b", Settings = JsonNode.Parse("""{"detect_fps": 3}""")!.AsObject() });
            store.Put(new CameraRecord { Id = "a", StreamUrl = "rtsp://x/a", Enabled = false });
            Assert.True(store.Delete("b"));
            Assert.False(store.Delete("b"));
            store.Put(new CameraRecord { Id = "c", StreamUrl = "rtsp://x/c", Labels = new() { ["k"] = "v" } });
            Assert.False(File.Exists(path + ".tmp"));
            var reopened = new CameraStore(path).All();
            Assert.Equal(new[] { "a", "c" }, reopened.Select(r => r.Id));
            Assert.False(reopened[0].Enabled);
            Assert.Equal("v", reopened[1].Labels["k"]);
        }
        finally { Directory.Delete(dir, true); }
    }
}
