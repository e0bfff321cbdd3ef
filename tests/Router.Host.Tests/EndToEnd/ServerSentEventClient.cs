using System.Text;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// A client of a server-sent events endpoint on its own connection (its own handler), read
/// frame by frame. Disposing it closes the TCP connection, as a closed browser tab would.
/// </summary>
public sealed class ServerSentEventClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEventClient(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    public static async Task<ServerSentEventClient> ConnectAsync(Uri url, CancellationToken ct)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, ct);
            Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode}");
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
            return new ServerSentEventClient(http, response, reader);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The next frame, or null when the server ended the stream.</summary>
    public async Task<ServerSentFrame?> ReadFrameAsync(CancellationToken ct)
    {
        string? id = null, type = null;
        StringBuilder? data = null;
        var comments = new List<string>();
        bool any = false;
        while (await _reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (any) return new ServerSentFrame(id, type, data?.ToString(), comments);
                continue;
            }
            any = true;
            if (line.StartsWith(':')) { comments.Add(line[1..].TrimStart()); continue; }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value); break;
            }
        }
        return null;
    }

    /// <summary>The next frame with fields (an event), skipping comment-only frames (heartbeats).</summary>
    public async Task<ServerSentFrame> ReadEventAsync(CancellationToken ct)
    {
        while (await ReadFrameAsync(ct) is { } frame)
            if (!frame.IsCommentOnly) return frame;
        throw new InvalidOperationException("the event stream ended without an event");
    }

    /// <summary>Reads frames until the server ends the stream; returns how many there were.</summary>
    public async Task<int> ReadToEndAsync(CancellationToken ct)
    {
        int frames = 0;
        while (await ReadFrameAsync(ct) is not null) frames++;
        return frames;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
