using System.Net;
using System.Text.Json;
using Router.Abstractions;
using Router.Host.Api;
using Xunit;

namespace Router.Host.Tests.Api;

public sealed class ApiSecurityTests
{
    [Fact]
    public async Task With_keys_every_request_needs_a_valid_bearer_key()
    {
        using var backend = GalleryBackend.Sqlite();
        backend.Settings["Api:ApiKeys:0"] = "first-key";
        backend.Settings["Api:ApiKeys:1"] = "second-key";
        await using var server = await ApiTestServer.StartAsync(backend.Settings);

        foreach (var key in new string?[] { null, "wrong", "first-key-but-longer" })
        {
            using var http = server.NewHttpClient(key);
            using var r = await http.GetAsync("v1/galleries");
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal(ErrorCodes.Unauthorized, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }
        using (var http = server.NewHttpClient("second-key"))
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("v1/galleries")).StatusCode);

        using var client = new HttpGalleryClient(server.BaseAddress, "first-key");
        await client.Gallery("secured").CreateAsync();
        Assert.Equal("secured", Assert.Single(await client.ListGalleriesAsync()).Name);
        using var anonymous = new HttpGalleryClient(server.BaseAddress);
        var e = await Assert.ThrowsAsync<GalleryException>(() => anonymous.ListGalleriesAsync());
        Assert.Equal(ErrorCodes.Unauthorized, e.Code);
    }

    [Theory]
    [InlineData("http://0.0.0.0:18411")]
    [InlineData("http://*:18411")]
    [InlineData("http://127.0.0.1:1;http://192.168.1.5:18411")]
    public void Without_keys_only_loopback_bindings_are_accepted(string urls)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ApiServer.CheckBinding(urls, new ApiOptions()));
        Assert.Contains("without API keys", e.Message);
        ApiServer.CheckBinding(urls, new ApiOptions { ApiKeys = ["k"] });
    }

    [Theory]
    [InlineData("http://127.0.0.1:18411")]
    [InlineData("http://localhost:5000;http://[::1]:5001")]
    public void Loopback_needs_no_keys(string urls) => ApiServer.CheckBinding(urls, new ApiOptions());

    [Fact]
    public async Task Invalid_options_stop_the_start_with_a_clear_message()
    {
        using var backend = GalleryBackend.Sqlite();
        backend.Settings["Galleries:Store"] = "mongo";
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ApiTestServer.StartAsync(backend.Settings));
        Assert.Contains("Galleries:Store must be 'sqlite' or 'postgres'", e.Message);
    }
}
