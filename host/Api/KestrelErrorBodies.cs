using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>
/// Gives Kestrel's own error answers the API's JSON error body. Kestrel rejects some requests
/// before any middleware runs (a malformed request line or header: 400; a request line over its
/// limit: 414; headers over theirs: 431; ...) and answers them with an empty body, which ASP.NET
/// Core offers no hook to change. This connection middleware watches the bytes Kestrel writes:
/// a response head that is an error, empty (<c>Content-Length: 0</c>) and closes the connection
/// is exactly such an answer (the app's errors always carry a body, see
/// <see cref="ErrorHandlingMiddleware"/> and the status-code pages), and is rewritten with a body.
/// Nothing else is touched or copied.
/// </summary>
internal static class KestrelErrorBodies
{
    public static ConnectionDelegate Middleware(ConnectionDelegate next) => async context =>
    {
        var transport = context.Transport;
        context.Transport = new Duplex(transport.Input, new Writer(transport.Output));
        try { await next(context); }
        finally { context.Transport = transport; }
    };

    /// <summary>The response head with a JSON body, or null when it is not an empty error answer that closes the connection.</summary>
    internal static byte[]? Rewrite(ReadOnlySpan<byte> head)
    {
        if (head.Length < 16 || !head.StartsWith("HTTP/1.1 "u8) || head[9] is not ((byte)'4' or (byte)'5') || !head.EndsWith("\r\n\r\n"u8)) return null;
        var text = Encoding.ASCII.GetString(head);
        if (!text.Contains("\r\nContent-Length: 0\r\n", StringComparison.OrdinalIgnoreCase)
            || !text.Contains("\r\nConnection: close\r\n", StringComparison.OrdinalIgnoreCase)
            || text.Contains("\r\nContent-Type:", StringComparison.OrdinalIgnoreCase)) return null;
        if (!int.TryParse(text.AsSpan(9, 3), out var status)) return null;
        var body = JsonSerializer.SerializeToUtf8Bytes(new WireError(CodeOf(status), ReasonOf(status)), RouterJson.Options);
        var start = text.IndexOf("\r\nContent-Length: 0\r\n", StringComparison.OrdinalIgnoreCase);
        var rewritten = text[..start] + $"\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n" + text[(start + "\r\nContent-Length: 0\r\n".Length)..];
        return [.. Encoding.ASCII.GetBytes(rewritten), .. body];
    }

    private static string CodeOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
        >= 500 => ErrorCodes.UnknownError,
        _ => ErrorCodes.MalformedRequest,
    };

    private static string ReasonOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "the HTTP request is malformed (request line, headers or framing)",
        StatusCodes.Status408RequestTimeout => "the request headers did not arrive in time",
        StatusCodes.Status411LengthRequired => "the request needs a Content-Length or chunked body",
        StatusCodes.Status413PayloadTooLarge => "the request body is larger than the configured limit",
        StatusCodes.Status414UriTooLong => "the request line (method, path and query) is longer than the server accepts",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "the request headers are larger than the server accepts",
        StatusCodes.Status505HttpVersionNotsupported => "only HTTP/1.1 and HTTP/1.0 are accepted here",
        _ => $"HTTP {status}: the server refused the request before reading it",
    };

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes every write through; looks only at a write that starts like an error head.</summary>
    private sealed class Writer(PipeWriter inner) : PipeWriter
    {
        private Memory<byte> _last;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => (_last = inner.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            // Kestrel commits a response head in one Advance; error heads are short.
            if (bytes is >= 16 and <= 4096 && bytes <= _last.Length && _last.Span[9] is (byte)'4' or (byte)'5'
                && Rewrite(_last.Span[..bytes]) is { } rewritten)
            {
                rewritten.CopyTo(inner.GetSpan(rewritten.Length));
                inner.Advance(rewritten.Length);
                return;
            }
            inner.Advance(bytes);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            source.Span.CopyTo(GetSpan(source.Length));
            Advance(source.Length);
            return FlushAsync(cancellationToken);
        }
    }
}
