using Router.Host.Composition;
using System.Net.Sockets;
using Router.Host.Api;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// Issue 12, item 4: without API keys, an address bound by other means than <c>urls</c>
/// (here <c>Kestrel:Endpoints:e1:Url</c>) on all interfaces stops the start; with keys it is allowed.
/// </summary>
public sealed class BoundAddressGuardTests
{
    [Fact]
    public async Task Serve_without_keys_refuses_a_Kestrel_endpoint_on_all_interfaces()
    {
        using var backend = GalleryBackend.Sqlite();
        var port = FreePort.Next();
        var settings = new Dictionary<string, string?>(backend.Settings)
        {
            ["urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Kestrel:Endpoints:e1:Url"] = $"http://0.0.0.0:{port}",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = ApiHost.Build(ApiHost.CreateBuilder([], settings));
        try
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
            Assert.Contains($"refusing to listen on http://0.0.0.0:{port} without API keys", Flatten(e));
        }
        finally { await app.DisposeAsync(); }
        Assert.False(await ListensAsync(port), "the refused endpoint still listens after the host stopped");

        settings["Api:ApiKeys:0"] = "a-key";
        var keyed = ApiHost.Build(ApiHost.CreateBuilder([], settings));
        await keyed.StartAsync();
        try { Assert.True(await ListensAsync(port)); }
        finally { await keyed.StopAsync(); await keyed.DisposeAsync(); }
    }

    [Fact]
    public async Task Run_without_keys_refuses_a_Kestrel_endpoint_on_all_interfaces()
    {
        var port = FreePort.Next();
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?> { ["Kestrel:Endpoints:e1:Url"] = $"http://0.0.0.0:{port}" });
        var e = await Assert.ThrowsAnyAsync<Exception>(host.StartAsync);
        Assert.Contains("without API keys", Flatten(e));
        Assert.Contains(host.Log.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Critical && l.Message.Contains($"http://0.0.0.0:{port}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1", true)]
    [InlineData("http://[::1]:1", true)]
    [InlineData("http://localhost:1", true)]
    [InlineData("http://0.0.0.0:1", false)]
    [InlineData("http://[::]:1", false)]
    [InlineData("http://192.168.1.5:1", false)]
    public void Addresses_as_Kestrel_reports_them_are_classified(string address, bool loopback) =>
        Assert.Equal(loopback, ApiServer.IsLoopback(address));

    private static string Flatten(Exception e) => e is AggregateException a ? string.Join(" | ", a.Flatten().InnerExceptions.Select(i => i.Message)) : e.Message;

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try { await client.ConnectAsync("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }
}
