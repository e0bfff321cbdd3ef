using System.Net;
using System.Text;
using System.Text.Json;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// `router run` with the Visitors plugin isolated (<c>Isolation=process</c>): in its own process it
/// still writes the galleries, through the host's API, from a real camera's faces.
/// </summary>
public sealed class IsolatedPluginRunTests
{
    [Fact]
    public async Task An_isolated_plugin_enrolls_visitors_through_the_hosts_api()
    {
        var root = RouterTestHost.NewRoot();
        var clip = await RouterTestHost.StillClipAsync(root, "door");
        await using var host = new RouterTestHost(root, ["visitors"], new Dictionary<string, string?>
        {
            ["Plugins:Items:visitors:Isolation"] = "process",
            ["Api:ApiKeys:0"] = "isolation-test-key", // the plugin's process must pass the host's key check
        });
        host.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "isolation-test-key");
        await SamplePluginFolders.CopyAsync(host.PluginsDirectory, "visitors");
        await host.StartAsync();

        var visitors = (await host.GetJsonAsync("v1/plugins")).GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "visitors");
        Assert.Equal("loaded", visitors.GetProperty("state").GetString());
        Assert.Equal("process", visitors.GetProperty("isolation").GetString());
        Assert.NotEqual(Environment.ProcessId, visitors.GetProperty("process_id").GetInt32());

        var body = new { stream_url = clip, settings = new { play_speed = 1, bs_type = "overall" } };
        using (var put = await host.Http.PutAsync("v1/cameras/door", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        Assert.True(await RouterTestHost.WaitForAsync(async () =>
        {
            using var r = await host.Http.GetAsync("v1/galleries/visitors/faces");
            return r.IsSuccessStatusCode && JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("results").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(60)), $"the isolated Visitors plugin enrolled no one: {(await host.GetJsonAsync("v1/events?limit=3")).GetProperty("events")}\n{string.Join("\n", host.Log.Entries.TakeLast(20))}");
        // The plugin writes the gallery from inside its ProcessAsync, and an event is published only
        // when its last plugin call has ended, so the event can follow the face by a moment.
        Assert.True(await RouterTestHost.WaitForAsync(async () =>
        {
            var events = (await host.GetJsonAsync("v1/events")).GetProperty("events").EnumerateArray();
            return events.Any(e => e.GetProperty("plugins").EnumerateArray().Any(p => p.GetProperty("plugin").GetString() == "visitors" && p.GetProperty("outcome").GetString() == "processed"));
        }, TimeSpan.FromSeconds(20)), $"no event was published with the Visitors plugin's outcome 'processed': {(await host.GetJsonAsync("v1/events?limit=3")).GetProperty("events")}");
    }
}
