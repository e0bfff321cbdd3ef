using System.Net;
using System.Text;
using System.Text.Json;
using Router.Host.Tests.Api;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// <c>/metrics</c> of the composed `router run` host with a real camera (a clip of a sample photo
/// looped by ffmpeg) and a real plugin: the camera's, the plugin's and the event path's counters
/// are the same numbers the JSON API shows, read from the same counters.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class RouterMetricsTests
{
    [Fact]
    public async Task Camera_plugin_and_event_counters_are_the_ones_the_api_shows()
    {
        var root = RouterTestHost.NewRoot();
        var clip = await RouterTestHost.StillClipAsync(root, "door");
        await using var host = new RouterTestHost(root, ["eventlog"]);
        await SamplePluginFolders.CopyAsync(host.PluginsDirectory, "eventlog");
        await host.StartAsync();
        var body = new { stream_url = clip, settings = new { play_speed = 1, ffmpeg_params = new[] { "-stream_loop", "-1" }, bs_type = "realtime", realtime_post_interval = 0.5, realtime_post_every_interval = true } };
        using (var put = await host.Http.PutAsync("v1/cameras/door", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        Assert.True(await RouterTestHost.WaitForAsync(async () => Processed(await host.GetJsonAsync("v1/plugins")) > 0, TimeSpan.FromSeconds(60)),
            "the plugin processed no face");

        // The counters only grow: each metric lies between the API's answers just before and just after the scrape.
        var camerasBefore = Statistics(await host.GetJsonAsync("v1/cameras/door"));
        var pluginsBefore = await host.GetJsonAsync("v1/plugins");
        var routedBefore = (await host.GetJsonAsync("v1/events?limit=1")).GetProperty("routing").GetProperty("routed").GetInt64();
        var scrape = new PrometheusScrape(await host.Http.GetStringAsync("metrics"));
        var camerasAfter = Statistics(await host.GetJsonAsync("v1/cameras/door"));
        var pluginsAfter = await host.GetJsonAsync("v1/plugins");
        var routedAfter = (await host.GetJsonAsync("v1/events?limit=1")).GetProperty("routing").GetProperty("routed").GetInt64();

        foreach (var (metric, field) in new[]
                 {
                     ("router_camera_frames_processed_total", "frames_processed"), ("router_camera_frames_decoded_total", "frames_decoded"),
                     ("router_camera_frames_dropped_total", "frames_dropped"), ("router_camera_faces_posted_total", "faces_posted"),
                     ("router_camera_job_starts_total", "job_starts"),
                 })
            AssertBetween(camerasBefore.GetProperty(field).GetInt64(), scrape.Value(metric, ("camera", "door")), camerasAfter.GetProperty(field).GetInt64(), metric);
        Assert.True(scrape.Value("router_camera_faces_posted_total", ("camera", "door")) > 0);
        Assert.NotNull(scrape.Value("router_camera_faces_not_posted_total", ("camera", "door"), ("reason", "too_small")));

        AssertBetween(Processed(pluginsBefore), scrape.Value("router_plugin_processed_total", ("plugin", "eventlog")), Processed(pluginsAfter), "plugin processed");
        AssertBetween(Processed(pluginsBefore), scrape.Value("router_plugin_process_duration_seconds_count", ("plugin", "eventlog")), Processed(pluginsAfter), "plugin latency count");
        Assert.True(scrape.Value("router_plugin_process_duration_seconds_sum", ("plugin", "eventlog")) > 0);
        Assert.Equal(0, scrape.Value("router_plugin_errors_total", ("plugin", "eventlog")));
        AssertBetween(routedBefore, scrape.Value("router_events_routed_total"), routedAfter, "events routed");
        Assert.NotNull(scrape.Value("router_events_queue_depth"));
        // Every routed camera event has its frame-to-event time, and it took some.
        AssertBetween(routedBefore, scrape.Value("router_events_frame_to_event_duration_seconds_count", ("camera", "door")), routedAfter, "frame to event count");
        Assert.True(scrape.Value("router_events_frame_to_event_duration_seconds_sum", ("camera", "door")) > 0);
    }

    [Fact]
    public async Task A_face_event_is_traced_through_routing_to_an_otlp_collector()
    {
        using var collector = new OtlpTraceReceiver();
        var root = RouterTestHost.NewRoot();
        var clip = await RouterTestHost.StillClipAsync(root, "door");
        await using var host = new RouterTestHost(root, ["eventlog"], new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = collector.Url });
        await SamplePluginFolders.CopyAsync(host.PluginsDirectory, "eventlog");
        await host.StartAsync();
        var body = new { stream_url = clip, settings = new { play_speed = 1, bs_type = "realtime", realtime_post_interval = 0.5 } };
        using (var put = await host.Http.PutAsync("v1/cameras/door", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        // OTLP/HTTP protobuf: span names and attribute values are plain UTF-8 in the body.
        Assert.True(await RouterTestHost.WaitForAsync(() => Task.FromResult(
                collector.Contains("route face event") && collector.Contains("plugin process") && collector.Contains("extract features") && collector.Contains("eventlog")),
            TimeSpan.FromSeconds(60)), $"no complete trace arrived ({collector.Requests} export requests)");
    }

    private static JsonElement Statistics(JsonElement camera) => camera.GetProperty("statistics");

    private static long Processed(JsonElement plugins) =>
        plugins.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "eventlog").GetProperty("counters").GetProperty("processed").GetInt64();

    private static void AssertBetween(long before, double? metric, long after, string what)
    {
        Assert.NotNull(metric);
        Assert.True(before <= metric && metric <= after, $"{what}: {metric} is not between the API's {before} and {after}");
    }
}
