using System.Text.Json;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Host.Tests.Plugins;
using Router.Tests.Common;
using Router.Tests.Common.Servers;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// The MQTT plugin as the host runs it: built from plugins/Mqtt, loaded into its own load context
/// with its private MQTTnet, fed by a replayed video through real models, publishing to a real
/// Mosquitto that a real subscriber watches.
/// </summary>
public sealed class MqttOverReplayTests
{
    private static readonly CameraSettings Replay = CameraSettings.Default with { FilterMinQuality = 0, FilterMinSize = 40, DetectFps = 5 };

    [Fact]
    public async Task The_enrolled_person_is_published_on_matches_and_every_face_on_the_camera_topic()
    {
        using var broker = new MosquittoServer();
        await using var sub = await MqttSubscriber.ConnectAsync(broker.Port, "router/#", "homeassistant/#");
        await using var host = await RoutingTestHost.StartAsync(p => SamplePluginFolders.CopyAsync(p, "mqtt"), new Dictionary<string, string?>
        {
            ["Plugins:Items:mqtt:Assembly"] = SamplePluginFolders.AssemblyOf("mqtt"),
            ["Plugins:Items:mqtt:Settings:port"] = broker.Port.ToString(),
            ["Plugins:Items:mqtt:Settings:galleries:0"] = "vip",
        });
        await sub.WaitForAsync("router/available", "online");

        // Enroll one person of sample4 as the subject Eve, from a still: her face cropped, shrunk and recompressed.
        var photo = SamplePhotos.Read("sample4.jpg");
        var analysis = host.Analyzer.AnalyzeImage(photo, FaceFeatures.None);
        var faces = analysis.Faces.OrderBy(f => f.Detection.Box.Left).ToList();
        var crop = await FaceCrops.CropAsync(SamplePhotos.PathOf("sample4.jpg"), faces[0].Detection.Box, analysis.Width, analysis.Height, Path.Combine(host.Root, "enroll.jpg"));
        var detected = await host.Galleries.DetectAsync(crop, FaceFeatures.Facen);
        var vip = host.Galleries.Gallery("vip");
        await vip.CreateAsync();
        await vip.AddAsync(null, FaceSource.FromDetection(Assert.Single(detected.Faces).Id!), subject: "Eve");

        // She appears with three strangers, then three other strangers appear.
        var result = await host.ReplayAsync(await TestVideos.CutAsync("sample4.jpg", "sample2.jpg", 2, 1), Replay);
        Assert.True(result.Events >= 4, $"only {result.Events} events: too few strangers for the test to mean anything");

        var match = JsonDocument.Parse((await sub.WaitForAsync("router/matches/Eve")).Payload).RootElement;
        Assert.Equal("replay", match.GetProperty("camera").GetString());
        Assert.True(match.GetProperty("match").GetProperty("match").GetBoolean());
        Assert.True(match.GetProperty("match").GetProperty("confidence").GetDouble() >= 60, match.ToString());
        var cameras = await WaitForCountAsync(sub, "router/cameras/replay", (int)result.Events);
        var last = JsonDocument.Parse(cameras[^1].Payload).RootElement.GetProperty("totals");
        Assert.Equal(1, last.GetProperty("match").GetInt32()); // one track of hers in an overall-best-shot replay
        Assert.Equal(result.Events, last.GetProperty("match").GetInt32() + last.GetProperty("miss").GetInt32() + last.GetProperty("unknown").GetInt32());
        await sub.WaitForAsync("homeassistant/sensor/router/eve/config");

        await host.StopAsync(); // the plugin says offline on a clean stop
        await sub.WaitForAsync("router/available", "offline");
        Assert.Single(sub.Messages, m => m.Topic.StartsWith("router/matches/", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<MqttSubscriber.Received>> WaitForCountAsync(MqttSubscriber sub, string topic, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (sub.On(topic).Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{sub.On(topic).Count} of {count} messages on {topic}");
            await Task.Delay(50);
        }
        return sub.On(topic);
    }
}
