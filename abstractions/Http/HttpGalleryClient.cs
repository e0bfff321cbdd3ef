using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Router.Abstractions;

/// <summary>
/// <see cref="IGalleryClient"/> over Router's HTTP API (the sfapi client for code outside the
/// host). API errors come back as <see cref="GalleryException"/> with the server's code,
/// reason, param and value.
/// </summary>
public sealed class HttpGalleryClient : IGalleryClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Uses <paramref name="http"/> as given (its BaseAddress must point at the API root).</summary>
    public HttpGalleryClient(HttpClient http)
    {
        _http = http;
    }

    public HttpGalleryClient(Uri baseAddress, string? apiKey = null)
    {
        _http = new HttpClient { BaseAddress = baseAddress };
        if (apiKey is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _ownsHttp = true;
    }

    internal HttpClient Http => _http;

    public async Task<DetectResponse> DetectAsync(ReadOnlyMemory<byte> image, FaceFeatures features = FaceFeatures.None, bool returnFacen = false,
        CancellationToken ct = default)
    {
        var query = new List<string>();
        foreach (var (flag, name) in FeatureNames)
            if (features.HasFlag(flag)) query.Add(name + "=true");
        if (returnFacen) query.Add("return_facen=true");
        using var content = new ReadOnlyMemoryContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue(SniffImageType(image.Span));
        using var response = await _http.PostAsync("v1/detect" + (query.Count > 0 ? "?" + string.Join("&", query) : ""), content, ct).ConfigureAwait(false);
        var wire = await ReadAsync<WireDetectResponse>(response, ct).ConfigureAwait(false);
        return wire.ToDetectResponse();
    }

    public async Task<DetectFace> GetDetectionAsync(string detectionId, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync("v1/detect/" + Uri.EscapeDataString(detectionId), ct).ConfigureAwait(false);
        return (await ReadAsync<WireDetectFace>(response, ct).ConfigureAwait(false)).ToDetectFace();
    }

    public IGallery Gallery(string name) => new HttpGallery(this, name);

    public async Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct = default)
    {
        using var response = await _http.GetAsync("v1/galleries", ct).ConfigureAwait(false);
        return (await ReadAsync<WireGalleries>(response, ct).ConfigureAwait(false)).Galleries;
    }

    /// <summary>The detect query flags and the features they ask for (shared with the server).</summary>
    public static readonly (FaceFeatures Flag, string Name)[] FeatureNames =
    [
        (FaceFeatures.Facen, "facen"), (FaceFeatures.Gender, "gender"), (FaceFeatures.Age, "age"), (FaceFeatures.Emotions, "emotions"),
        (FaceFeatures.Liveness, "liveness"), (FaceFeatures.Quality, "quality"), (FaceFeatures.Pose, "pose"), (FaceFeatures.Eyes, "eyes"),
    ];

    private static string SniffImageType(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "image/jpeg";
        if (b.Length >= 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G') return "image/png";
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8)) return "image/webp";
        if (b.Length >= 2 && b[0] == (byte)'B' && b[1] == (byte)'M') return "image/bmp";
        return "application/octet-stream";
    }

    /// <summary>The body as <typeparamref name="T"/>, or the API error as a <see cref="GalleryException"/>.</summary>
    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(RouterJson.Options, ct).ConfigureAwait(false)
                   ?? throw new GalleryException(ErrorCodes.UnknownError, "the API answered with an empty body");
        }
        catch (JsonException e)
        {
            throw new GalleryException(ErrorCodes.UnknownError, "the API answered with a body this client cannot read: " + e.Message, inner: e);
        }
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        WireError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<WireError>(RouterJson.Options, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
        }
        if (error?.Code is null)
            throw new GalleryException(ErrorCodes.UnknownError, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} without an error body");
        throw new GalleryException(error.Code, error.Reason ?? "", error.Param, error.Value);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
