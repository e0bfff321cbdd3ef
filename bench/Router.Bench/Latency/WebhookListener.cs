using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Router.Bench;

/// <summary>
/// A local HTTP receiver for Watchlist's webhook: records, per alert, the event id and the Stopwatch
/// time at which its body had been read (the moment a receiving system could act on it).
/// </summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<(ulong EventId, long Ticks)> _alerts = [];
    private readonly Task _loop;

    public WebhookListener()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/alert";

    public IReadOnlyList<(ulong EventId, long Ticks)> Alerts { get { lock (_lock) return _alerts.ToArray(); } }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
                var now = Stopwatch.GetTimestamp();
                if (body.RootElement.TryGetProperty("event_id", out var id) && ulong.TryParse(id.GetString(), out var eventId))
                    lock (_lock) _alerts.Add((eventId, now));
                context.Response.StatusCode = 204;
            }
            catch (JsonException)
            {
                context.Response.StatusCode = 400;
            }
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(2));
    }
}
