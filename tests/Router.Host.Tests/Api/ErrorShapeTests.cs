using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Router.Abstractions;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// Issue 12, item 7: every error answer is the JSON error body, Kestrel's own included (they
/// were empty), and a wrong method is 405 with Allow (it was 404).
/// </summary>
public sealed class ErrorShapeTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Galleries:DataDir"] = Path.Combine(Path.GetTempPath(), "router-errs-" + Guid.NewGuid().ToString("N")[..8]) });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Sends raw bytes (what HttpClient would refuse to send) and reads the whole answer.</summary>
    private async Task<(int Status, string Head, JsonElement Body)> RawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new MemoryStream();
        await stream.CopyToAsync(reader).WaitAsync(TimeSpan.FromSeconds(10)); // these answers close the connection
        var text = Encoding.UTF8.GetString(reader.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, "no response head: " + text);
        var head = text[..split];
        var body = text[(split + 4)..];
        Assert.True(body.Length > 0, $"empty body after: {head}");
        return (int.Parse(head.Substring(9, 3)), head, JsonDocument.Parse(body).RootElement);
    }

    [Theory]
    [InlineData(400, "GET /v1/galleries HTTP/1.1\r\nHost: a b\r\n\r\n")]                        // a malformed Host header
    [InlineData(400, "GET /v1/gall eries HTTP/1.1\r\nHost: x\r\n\r\n")]                          // a malformed request line
    [InlineData(414, "GET /v1/galleries?q={0} HTTP/1.1\r\nHost: x\r\n\r\n")]                     // a request line over 8 KB
    [InlineData(431, "GET /v1/galleries HTTP/1.1\r\nHost: x\r\nX-Big: {0}\r\n\r\n")]             // headers over 32 KB
    public async Task Kestrels_own_errors_carry_the_json_error_body(int status, string template)
    {
        var (got, head, body) = await RawAsync(string.Format(template, new string('a', 70_000)));
        Assert.Equal(status, got);
        Assert.Contains("Content-Type: application/json", head);
        Assert.Equal(ErrorCodes.MalformedRequest, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_wrong_method_is_405_with_allow_and_an_unknown_path_404_both_in_json()
    {
        using var http = _server.NewHttpClient();
        using var wrong = await http.DeleteAsync("v1/galleries");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Contains("GET", wrong.Content.Headers.Allow);
        var body = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ErrorCodes.MethodNotAllowed, body.GetProperty("code").GetString());

        using var missing = await http.GetAsync("v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(ErrorCodes.NotFound, JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Ordinary_answers_pass_through_untouched()
    {
        using var http = _server.NewHttpClient();
        using var ok = await http.GetAsync("v1/galleries");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        // A keep-alive connection keeps working after an app-level error.
        using var missing = await http.GetAsync("v1/galleries/none/faces/1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var again = await http.GetAsync("v1/galleries");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}
