using System.Net;
using System.Text;
using Router.Tests.Common.Servers;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// The receiving end of OTLP/HTTP on 127.0.0.1 (what a collector's <c>:4318</c> is): accepts
/// <c>POST /v1/traces</c> and keeps the bodies, answering 200 as a collector does. Decoding the
/// protobuf is not needed to see which spans arrived: their names are UTF-8 strings in it.
/// </summary>
public sealed class OtlpTraceReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<byte[]> _bodies = [];
    private readonly Task _loop;

    public OtlpTraceReceiver()
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public int Requests { get { lock (_bodies) return _bodies.Count; } }

    public bool Contains(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        lock (_bodies) return _bodies.Any(b => b.AsSpan().IndexOf(needle) >= 0);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/traces")
                lock (_bodies) _bodies.Add(body.ToArray());
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
