using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Host.Routing;
using Router.Host.Tests.Plugins;
using Router.Tests.Common;
using Router.Tests.Common.Http;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// The sample plugins and the router end to end: real models, the real gallery engine on
/// SQLite, plugins built from plugins/* and loaded from a temp folder, videos made with ffmpeg
/// from the sample photos and replayed through the whole pipeline.
/// </summary>
public sealed class PluginsOverReplayTests
{
    // Faces in these clips are fitted into 1280×720: keep every face the detector finds.
    private static readonly CameraSettings Replay = CameraSettings.Default with { FilterMinQuality = 0, FilterMinSize = 40, DetectFps = 5 };

    [Fact]
    public async Task Watchlist_fires_its_webhook_for_the_enrolled_person_and_not_for_strangers()
    {
        using var hook = new WebhookListener();
        await using var host = await RoutingTestHost.StartAsync(p => SamplePluginFolders.CopyAsync(p, "watchlist"), new Dictionary<string, string?>
        {
            ["Plugins:Items:watchlist:Assembly"] = SamplePluginFolders.AssemblyOf("watchlist"),
            ["Plugins:Items:watchlist:Settings:galleries:0"] = "vip",
            ["Plugins:Items:watchlist:Settings:webhook:url"] = hook.Url,
        });

        // Enroll one person of sample4 from a still: her face cropped, shrunk and recompressed.
        var photo = SamplePhotos.Read("sample4.jpg");
        var analysis = host.Analyzer.AnalyzeImage(photo, FaceFeatures.None);
        var faces = analysis.Faces.OrderBy(f => f.Detection.Box.Left).ToList();
        Assert.Equal(SamplePhotos.FaceCounts["sample4.jpg"], faces.Count);
        var crop = await FaceCrops.CropAsync(SamplePhotos.PathOf("sample4.jpg"), faces[0].Detection.Box, analysis.Width, analysis.Height, Path.Combine(host.Root, "enroll.jpg"));
        var detected = await host.Galleries.DetectAsync(crop, FaceFeatures.Facen);
        Assert.Single(detected.Faces);
        var vip = host.Galleries.Gallery("vip");
        await vip.CreateAsync();
        var enrolled = await vip.AddAsync(null, FaceSource.FromDetection(detected.Faces[0].Id!), new Dictionary<string, MetaValue> { ["name"] = "Eve" });

        // She appears with three strangers, then three other strangers appear.
        var video = await TestVideos.CutAsync("sample4.jpg", "sample2.jpg", 2, 1);
        var result = await host.ReplayAsync(video, Replay);
        // Not every face of a fitted group photo passes the detector; enough strangers must.
        Assert.True(result.Events >= 4, $"only {result.Events} events: too few strangers for the test to mean anything");
        Assert.Equal(result.Events, host.Events.Counters.Routed);
        Assert.Equal(0, host.Events.KeptFrames); // every event's frame went back once its features were extracted

        var body = JsonDocument.Parse(await hook.WaitForBodyAsync(TimeSpan.FromSeconds(10))).RootElement;
        await host.StopAsync(); // flushes the webhook queue
        Assert.Equal("vip", body.GetProperty("gallery").GetString());
        Assert.Equal(enrolled.Id.Face, body.GetProperty("face_id").GetInt64());
        Assert.Equal("Eve", body.GetProperty("meta").GetProperty("name").GetString());
        Assert.Equal("replay", body.GetProperty("cam_id").GetString());
        Assert.True(body.GetProperty("confidence").GetDouble() >= MatchThresholds.Identification);
        // The alert says how often a stranger would score as high, from the shipped calibration.
        Assert.Equal(MatchCalibration.Default.FalseMatchRate(body.GetProperty("confidence").GetDouble()), body.GetProperty("far").GetDouble(), 12);
        // One track of hers in an overall-best-shot replay: one alert; the six strangers none.
        Assert.Equal(1, hook.Requests);
        var alerted = host.Feed.Find(ulong.Parse(body.GetProperty("event_id").GetString()!));
        Assert.NotNull(alerted);
        // The event itself names whom Watchlist matched.
        var annotation = alerted.Plugins.Single(p => p.Plugin == "watchlist").Annotation;
        Assert.Equal("Eve", annotation!["match"]);
        Assert.True(alerted.Timestamp < DateTimeOffset.UnixEpoch.AddSeconds(2.5), "the alert is for a face of the first (sample4) segment");
    }

    [Fact]
    public async Task Visitors_counts_each_person_of_a_replayed_video_once()
    {
        await using var host = await RoutingTestHost.StartAsync(p => SamplePluginFolders.CopyAsync(p, "visitors"), new Dictionary<string, string?>
        {
            ["Plugins:Items:visitors:Assembly"] = SamplePluginFolders.AssemblyOf("visitors"),
        });
        // sample2's three people, a cut, sample3's three, then sample2's people again after another cut.
        var video = await TestVideos.ConcatAsync("visitors-e2e",
            await TestVideos.CutAsync("sample2.jpg", "sample3.jpg", 2, 1),
            await TestVideos.CutAsync("sample3.jpg", "sample2.jpg", 2, 1));
        var result = await host.ReplayAsync(video, Replay);
        int people = SamplePhotos.FaceCounts["sample2.jpg"] + SamplePhotos.FaceCounts["sample3.jpg"];
        Assert.True(result.Events >= people + SamplePhotos.FaceCounts["sample2.jpg"], $"only {result.Events} events");

        var visitors = await host.Galleries.Gallery("visitors").ListAsync(limit: 100);
        Assert.Equal(people, visitors.Results.Count);
        // Every one was seen once per pass; the second pass of sample2 is within the debounce, so one visit each.
        Assert.All(visitors.Results, f => Assert.Equal(1L, f.Meta["visits"].AsInt));
    }

    [Fact]
    public async Task Each_plugin_receives_exactly_the_features_it_asked_for_from_the_real_analyzer()
    {
        var probe = await ProbePluginBuild.OutputOfAsync("v1");
        await using var host = await RoutingTestHost.StartAsync(p =>
        {
            ProbePluginBuild.CopyTo(probe, p, "probe_ga");
            ProbePluginBuild.CopyTo(probe, p, "probe_facen");
            ProbePluginBuild.CopyTo(probe, p, "probe_none");
            return Task.CompletedTask;
        }, new Dictionary<string, string?>
        {
            ["Plugins:Items:probe_ga:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:probe_ga:Settings:features"] = "Gender, Age",
            ["Plugins:Items:probe_facen:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:probe_facen:Settings:features"] = "Facen",
            ["Plugins:Items:probe_none:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:probe_none:Settings:features"] = "None",
        });
        var router = host.Services.GetRequiredService<FaceRouter>();
        int routed = 0;
        foreach (var name in new[] { "sample1.jpg", "sample5.jpg" })
        {
            var photo = SamplePhotos.Read(name);
            foreach (var face in host.Analyzer.AnalyzeImage(photo, FaceFeatures.None).Faces)
            {
                var request = new FaceRequest
                {
                    Photo = photo, BBox = face.Detection.Box, CamId = "photos", Timestamp = DateTimeOffset.UtcNow,
                    DetectorParams = new DetectorParams { DetectionScore = face.Detection.Score },
                };
                var result = await router.RouteAsync(request, (ulong)++routed, null, CancellationToken.None);
                Assert.Equal(FaceFeatures.Gender | FaceFeatures.Age | FaceFeatures.Facen, result.Requested & ~FaceFeatures.Detection);
                Assert.NotNull(result.Detection!.Id);
            }
        }
        Assert.Equal(SamplePhotos.FaceCounts["sample1.jpg"] + SamplePhotos.FaceCounts["sample5.jpg"], routed);
        await host.StopAsync();

        var ga = Received(host, "probe_ga");
        Assert.Equal(routed, ga.Count);
        Assert.All(ga, r =>
        {
            Assert.True(r.GetProperty("gender").GetBoolean() && r.GetProperty("age").GetBoolean(), r.ToString());
            Assert.False(r.GetProperty("has_facen").GetBoolean() || r.GetProperty("has_id").GetBoolean() || r.GetProperty("emotions").GetBoolean()
                || r.GetProperty("liveness").GetBoolean() || r.GetProperty("pose").GetBoolean(), r.ToString());
        });
        var facen = Received(host, "probe_facen");
        Assert.Equal(routed, facen.Count);
        Assert.All(facen, r =>
        {
            Assert.True(r.GetProperty("has_facen").GetBoolean() && r.GetProperty("has_id").GetBoolean(), r.ToString());
            Assert.False(r.GetProperty("gender").GetBoolean() || r.GetProperty("age").GetBoolean(), r.ToString());
        });
        Assert.Empty(Received(host, "probe_none"));
    }

    private static List<JsonElement> Received(RoutingTestHost host, string plugin)
    {
        var file = Path.Combine(host.PluginData(plugin), "received.jsonl");
        return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList() : [];
    }

}
