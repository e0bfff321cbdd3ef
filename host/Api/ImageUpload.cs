using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>
/// The image of a request, however a client sends it: a raw body of any content type (the
/// decoder recognises the format from its first bytes), <c>multipart/form-data</c> with the
/// image in a field <c>photo</c>, <c>file</c> or <c>image</c> (what <c>curl -F photo=@x.jpg</c>
/// and CompreFace/DeepStack clients send), or JSON with it in base64 under <c>file</c>,
/// <c>photo</c> or <c>image</c> (a <c>data:</c> URL prefix is allowed). The body is read once,
/// within the API's size limit, whatever its shape.
/// </summary>
internal static class ImageUpload
{
    public static readonly string[] FieldNames = ["photo", "file", "image"];

    public static async Task<byte[]> ReadAsync(HttpContext context)
    {
        var bytes = await RequestBody.ReadBytesAsync(context);
        var type = context.Request.ContentType;
        var mediaType = type?.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "multipart/form-data" => await FromMultipartAsync(bytes, type!, context.RequestAborted),
            "application/json" => FromJson(bytes),
            _ => bytes,
        };
    }

    private static async Task<byte[]> FromMultipartAsync(byte[] body, string contentType, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var header) || HeaderUtilities.RemoveQuotes(header.Boundary).Value is not { Length: > 0 } boundary)
            throw new RouterException(ErrorCodes.MalformedRequest, "a multipart/form-data body needs a boundary in its content type", "content-type", contentType);
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        var names = new List<string>();
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                names.Add(name);
                if (!FieldNames.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
                using var part = new MemoryStream();
                await section.Body.CopyToAsync(part, ct);
                return part.ToArray();
            }
        }
        catch (IOException e)
        {
            throw new RouterException(ErrorCodes.MalformedRequest, "the multipart/form-data body is malformed: " + e.Message, "body");
        }
        throw RouterException.BadParam("photo", names.Count == 0 ? null : string.Join(",", names),
            $"a multipart/form-data upload needs the image in a field {string.Join(", ", FieldNames)}" + (names.Count > 0 ? $" (fields sent: {string.Join(", ", names)})" : ""));
    }

    private static byte[] FromJson(byte[] body)
    {
        var json = RequestBody.ParseObject(body);
        foreach (var name in FieldNames)
        {
            if (!json.TryGetProperty(name, out var value)) continue;
            if (value.ValueKind != JsonValueKind.String) throw RouterException.BadParam(name, value.GetRawText(), $"'{name}' must be the image in base64");
            var text = value.GetString()!;
            // data:image/jpeg;base64,....
            if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && text.IndexOf(',') is var comma and > 0) text = text[(comma + 1)..];
            try { return Convert.FromBase64String(text); }
            catch (FormatException) { throw RouterException.BadParam(name, null, $"'{name}' is not valid base64"); }
        }
        throw RouterException.BadParam("file", null, $"a JSON upload needs the image in base64 under {string.Join(", ", FieldNames)}");
    }
}
