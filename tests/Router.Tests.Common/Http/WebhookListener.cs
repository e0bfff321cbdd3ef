using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Router.Tests.Common.Http;

/// <summary>
/// A real HTTP server on 127.0.0.1 with a free port that records every request body; the first
/// <c>failFirst</c> requests get a 503 (with <c>Retry-After</c> when <c>retryAfterSeconds</c> is given), to exercise retries.
/// </summary>
public sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failuresLeft;
    private readonly int? _retryAfterSeconds;

    public WebhookListener(int failFirst = 0, int? retryAfterSeconds = null)
    {
        _failuresLeft = failFirst;
        _retryAfterSeconds = retryAfterSeconds;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{Port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url { get; }
    public ConcurrentQueue<string> Bodies { get; } = new();
    public int Requests;
    /// <summary>When each request arrived.</summary>
    public ConcurrentQueue<DateTimeOffset> RequestTimes { get; } = new();

    public async Task<string> WaitForBodyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Bodies.TryPeek(out var body)) return body;
            await Task.Delay(20);
        }
        throw new TimeoutException("no webhook arrived within " + timeout);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            Interlocked.Increment(ref Requests);
            RequestTimes.Enqueue(DateTimeOffset.UtcNow);
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 503;
                if (_retryAfterSeconds is { } s) context.Response.Headers["Retry-After"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else { Bodies.Enqueue(body); context.Response.StatusCode = 200; }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
