using Router.Host.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Host.Api;
using Router.Tests.Common.Servers;

namespace Router.Host.Tests.Api;

/// <summary>
/// The real API (Kestrel on 127.0.0.1, a free port) built by <see cref="ApiServer"/> exactly
/// as `router serve` builds it, on the store the settings name (or on the address their <c>urls</c> names).
/// </summary>
public sealed class ApiTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiTestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;
    public IDetectionCache Detections => Services.GetRequiredService<IDetectionCache>();
    public IGalleryClient InProcessClient => Services.GetRequiredService<IGalleryClient>();

    public static async Task<ApiTestServer> StartAsync(IDictionary<string, string?> settings)
    {
        // 127.0.0.1 on a free port unless the settings name the address (the first one is called).
        var all = new Dictionary<string, string?>(settings) { ["Logging:LogLevel:Default"] = "Warning" };
        all.TryAdd("urls", $"http://127.0.0.1:{FreePort.Next()}");
        var app = ApiHost.Build(ApiHost.CreateBuilder([], all));
        await app.StartAsync();
        return new ApiTestServer(app, new Uri(all["urls"]!.Split(';')[0].TrimEnd('/') + "/"));
    }

    public HttpClient NewHttpClient(string? apiKey = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return http;
    }

    /// <summary>Puts a detection with this embedding into the server's cache, as a detect with facen would.</summary>
    public async Task<string> CacheDetectionAsync(float[] embedding, FaceAttributes? features = null, BBox? box = null)
    {
        var id = Guid.NewGuid().ToString("N");
        await Detections.PutAsync(new DetectFace
        {
            Id = id, BBox = box ?? new BBox(10, 20, 110, 140), DetectionScore = 0.97f, Features = features ?? FaceAttributes.Empty, Facen = embedding,
        });
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
