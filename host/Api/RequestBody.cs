using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>Reads request bodies within the configured size limit.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        long limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes;
        var chunk = new byte[81920];
        if (context.Request.ContentLength > limit)
        {
            if (context.Request.ContentLength <= 2 * limit) await DrainAsync(context, chunk);
            throw TooLarge(limit);
        }
        using var buffer = new MemoryStream(context.Request.ContentLength is { } n ? (int)n : 64 * 1024);
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                await DrainAsync(context, chunk);
                throw TooLarge(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads and discards the rest of an oversized body (Kestrel stops it at twice the limit), so
    /// that a client still sending reads the JSON 413 rather than a connection reset.
    /// </summary>
    private static async Task DrainAsync(HttpContext context, byte[] chunk)
    {
        try
        {
            while (await context.Request.Body.ReadAsync(chunk, context.RequestAborted) > 0) { }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // Over Kestrel's own bound: it closes the connection after the answer.
        }
    }

    /// <summary>The body as a JSON object; anything else is MALFORMED_REQUEST.</summary>
    public static async Task<JsonElement> ReadObjectAsync(HttpContext context) => ParseObject(await ReadBytesAsync(context));

    /// <summary>Bytes already read within the limit, as a JSON object; anything else is MALFORMED_REQUEST.</summary>
    public static JsonElement ParseObject(byte[] bytes)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new GalleryException(ErrorCodes.MalformedRequest, "the body is not valid JSON: " + e.Message);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new GalleryException(ErrorCodes.MalformedRequest, "the body must be a JSON object");
            CheckStrings(doc.RootElement);
            return doc.RootElement.Clone();
        }
    }

    /// <summary>
    /// JsonDocument checks the structure only: a string of invalid UTF-8 or with a lone surrogate
    /// (<c>"\ud800"</c>) parses, and throws InvalidOperationException (a 500) wherever an endpoint
    /// reads it; an object with a member named twice parses too. Every name and string is decoded
    /// here once, so that such a body is a 400.
    /// </summary>
    private static void CheckStrings(JsonElement element)
    {
        try
        {
            Walk(element);
        }
        catch (InvalidOperationException e)
        {
            throw new GalleryException(ErrorCodes.MalformedRequest, "the body is not valid JSON: a string is not valid UTF-8 or holds a lone surrogate (" + e.Message + ")");
        }

        static void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    HashSet<string>? names = null;
                    foreach (var p in e.EnumerateObject())
                    {
                        // A name given twice is ambiguous (which one counts?) and breaks JsonObject later (found by fuzzing).
                        if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(p.Name))
                            throw new GalleryException(ErrorCodes.MalformedRequest, $"the body is not valid JSON for this API: the member '{p.Name}' appears twice in one object");
                        Walk(p.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray()) Walk(item);
                    break;
                case JsonValueKind.String:
                    _ = e.GetString();
                    break;
            }
        }
    }

    private static GalleryException TooLarge(long limit) =>
        new(ErrorCodes.PayloadTooLarge, $"the request body is larger than the limit of {limit} bytes");
}
