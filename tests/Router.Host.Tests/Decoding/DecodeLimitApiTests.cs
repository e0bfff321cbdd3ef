using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Abstractions;
using Router.Host.Decoding;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common;
using Router.Tests.Common.Images;
using Xunit;

namespace Router.Host.Tests.Decoding;

/// <summary>
/// Issue 12, item 2, and issue 14, on the composed host: small uploads claiming huge pictures
/// are refused from their header with the pixel-limit error (over the pixel limit, or over the
/// decode memory limit); a full decode budget answers 503 OVER_CAPACITY
/// with Retry-After, and room given back makes uploads work again.
/// </summary>
public sealed class DecodeLimitApiTests : IAsyncLifetime
{
    private readonly RouterTestHost _host = new(RouterTestHost.NewRoot(), []);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> DetectAsync(byte[] image)
    {
        var response = await _host.Http.PostAsync("v1/detect", new ByteArrayContent(image));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement, response);
    }

    [Fact]
    public async Task The_issues_small_files_claiming_huge_pictures_get_the_pixel_limit_error()
    {
        // Under 100 bytes claiming 30000×30000 (900 MP): over the pixel limit.
        byte[] png = [.. BombImages.PngHeader(30000, 30000), 0, 0, 0, 2, (byte)'I', (byte)'D', (byte)'A', (byte)'T', 0x78, 0x9C, 0, 0, 0, 0];
        var (status, body, _) = await DetectAsync(png);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((ErrorCodes.BadParam, "image", "30000x30000"),
            (body.GetProperty("code").GetString(), body.GetProperty("param").GetString(), body.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task Small_files_over_the_decode_memory_limit_get_the_pixel_limit_error()
    {
        // 100 MP each, within the pixel limit: Skia decodes them in ~400 MB (4 bytes a pixel), so
        // a host whose Decoding:MaxDecodeBytes is under that refuses them from their header.
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?> { ["Decoding:MaxDecodeBytes"] = (256L << 20).ToString() });
        await host.StartAsync();
        foreach (var bomb in new[] { BombImages.Png16(10000, 10000), BombImages.Gif(10000, 10000) })
        {
            var response = await host.Http.PostAsync("v1/detect", new ByteArrayContent(bomb));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal((ErrorCodes.BadParam, "image", "10000x10000"),
                (body.GetProperty("code").GetString(), body.GetProperty("param").GetString(), body.GetProperty("value").GetString()));
            Assert.Contains("limit per decode", body.GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task A_full_decode_budget_answers_over_capacity_with_retry_after()
    {
        var budget = _host.Services.GetRequiredService<DecodeBudget>();
        var photo = SamplePhotos.Read("sample1.jpg");
        // Hold every slot, as that many uploads being decoded would.
        var held = new List<DecodeLease>();
        for (var i = 0; i < Environment.ProcessorCount; i++) held.Add(await budget.EnterAsync(1, default));
        var (status, body, response) = await DetectAsync(photo);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(ErrorCodes.OverCapacity, body.GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        held.ForEach(l => l.Dispose());
        (status, body, _) = await DetectAsync(photo);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("faces").GetArrayLength());
        Assert.Equal((0, 0L), (budget.Running, budget.Bytes));
    }
}
