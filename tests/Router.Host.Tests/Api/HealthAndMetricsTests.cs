using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Tests.Common;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> on the API as `router serve` composes it,
/// against real SQLite, PostgreSQL and Redis, with their outages made real by stopping the servers.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task Liveness_checks_nothing_and_readiness_checks_the_gallery_store()
    {
        using var backend = GalleryBackend.Sqlite();
        await using var server = await ApiTestServer.StartAsync(backend.Settings);
        using var http = server.NewHttpClient();

        var live = await GetHealthAsync(http, "healthz", HttpStatusCode.OK);
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Empty(live.GetProperty("checks").EnumerateObject());

        var ready = await GetHealthAsync(http, "readyz", HttpStatusCode.OK);
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("gallery_store").GetProperty("status").GetString());
        Assert.False(ready.GetProperty("checks").TryGetProperty("postgres", out _));
        Assert.False(ready.GetProperty("checks").TryGetProperty("redis", out _));

        // The same answers under the ASP.NET health-check names.
        Assert.Empty((await GetHealthAsync(http, "health/live", HttpStatusCode.OK)).GetProperty("checks").EnumerateObject());
        Assert.Equal("healthy", (await GetHealthAsync(http, "health/ready", HttpStatusCode.OK)).GetProperty("checks").GetProperty("gallery_store").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_fails_while_postgres_is_down_and_liveness_does_not()
    {
        using var postgres = new PostgresServer();
        using var backend = GalleryBackend.Postgres(postgres);
        await using var server = await ApiTestServer.StartAsync(backend.Settings);
        using var http = server.NewHttpClient();
        var ready = await GetHealthAsync(http, "readyz", HttpStatusCode.OK);
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("gallery_store").GetProperty("status").GetString());

        postgres.Dispose(); // the server stops: a real outage
        var down = await GetHealthAsync(http, "readyz", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", down.GetProperty("status").GetString());
        Assert.Equal("unhealthy", down.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("unhealthy", down.GetProperty("checks").GetProperty("gallery_store").GetProperty("status").GetString());
        await GetHealthAsync(http, "healthz", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readiness_follows_redis_when_the_detection_cache_is_there()
    {
        using var redis = new RedisTestServer();
        using var backend = GalleryBackend.Sqlite();
        backend.Settings["Galleries:DetectionCache"] = "redis";
        backend.Settings["Galleries:RedisConfiguration"] = redis.Configuration;
        await using var server = await ApiTestServer.StartAsync(backend.Settings);
        using var http = server.NewHttpClient();
        var ready = await GetHealthAsync(http, "readyz", HttpStatusCode.OK);
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        redis.Stop();
        var down = await GetHealthAsync(http, "readyz", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unhealthy", down.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("healthy", down.GetProperty("checks").GetProperty("gallery_store").GetProperty("status").GetString());

        redis.Start();
        Assert.True(await WaitForAsync(async () => (await http.GetAsync("readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)),
            "readiness did not come back after Redis did");
    }

    [Fact]
    public async Task Metrics_show_gallery_sizes_search_latency_and_http_requests()
    {
        using var backend = GalleryBackend.Sqlite();
        await using var server = await ApiTestServer.StartAsync(backend.Settings);
        using var http = server.NewHttpClient();
        var gallery = "metrics_" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"v1/galleries/{gallery}", null)).StatusCode);
        var rng = new Random(7);
        string? probe = null;
        for (int i = 0; i < 3; i++)
        {
            probe = await server.CacheDetectionAsync(TestVectors.Random(rng));
            var added = await http.PostAsJsonAsync($"v1/galleries/{gallery}/faces", new { from = "detection:" + probe });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }
        for (int i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"v1/galleries/{gallery}/faces?looks_like=detection:{probe}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"v1/galleries/{gallery}/faces")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"v1/galleries/{gallery}/subjects?looks_like=detection:{probe}")).StatusCode);

        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var scrape = new PrometheusScrape(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, scrape.Value("router_gallery_faces", ("gallery", gallery)));
        Assert.Equal(2, scrape.Value("router_gallery_search_duration_seconds_count", ("gallery", gallery), ("kind", "similarity")));
        Assert.Equal(1, scrape.Value("router_gallery_search_duration_seconds_count", ("gallery", gallery), ("kind", "list")));
        Assert.Equal(1, scrape.Value("router_gallery_search_duration_seconds_count", ("gallery", gallery), ("kind", "subjects")));
        Assert.True(scrape.Value("router_gallery_search_duration_seconds_sum", ("gallery", gallery), ("kind", "similarity")) > 0);
        Assert.True(scrape.Value("http_server_request_duration_seconds_count",
            ("http_route", "/v1/galleries/{name}/faces/"), ("http_request_method", "POST"), ("http_response_status_code", "201")) >= 3,
            scrape.Text);

        // A face deleted is a face less at the next scrape: sizes are read, not kept.
        var faces = JsonDocument.Parse(await http.GetStringAsync($"v1/galleries/{gallery}/faces")).RootElement.GetProperty("results");
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"v1/galleries/{gallery}/faces/{faces[0].GetProperty("id").GetProperty("face").GetInt64()}")).StatusCode);
        Assert.Equal(2, new PrometheusScrape(await http.GetStringAsync("metrics")).Value("router_gallery_faces", ("gallery", gallery)));
    }

    [Fact]
    public async Task With_keys_metrics_need_a_key_and_health_is_open_to_loopback()
    {
        using var backend = GalleryBackend.Sqlite();
        backend.Settings["Api:ApiKeys:0"] = "the-key";
        await using var server = await ApiTestServer.StartAsync(backend.Settings);

        using (var anonymous = server.NewHttpClient())
        {
            using var metrics = await anonymous.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, metrics.StatusCode);
            Assert.Equal("UNAUTHORIZED", JsonDocument.Parse(await metrics.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v1/galleries")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("readyz")).StatusCode);
        }
        using var keyed = server.NewHttpClient("the-key");
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("metrics")).StatusCode);
    }

    [NonLoopbackFact]
    public async Task With_keys_health_from_another_machine_needs_a_key()
    {
        using var backend = GalleryBackend.Sqlite();
        backend.Settings["Api:ApiKeys:0"] = "the-key";
        var outside = NonLoopbackFactAttribute.Address!;
        backend.Settings["urls"] = $"http://{outside}:{FreePort.Next()}";
        await using var server = await ApiTestServer.StartAsync(backend.Settings);

        using var remote = server.NewHttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await remote.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await remote.GetAsync("readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await remote.GetAsync("metrics")).StatusCode);
        using var keyed = server.NewHttpClient("the-key");
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("readyz")).StatusCode);
    }

    private static async Task<JsonElement> GetHealthAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode} {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(250);
        }
        return false;
    }
}
