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
public static class ImageUpload
{
    public static readonly string[] FieldNames = ["photo", "file", "image"];

    /// <summary>OpenAPI: the endpoint takes an image body in any of the shapes above (<see cref="ApiDocument"/>).</summary>
    public static TBuilder AcceptsImages<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ImageBodyMetadata.Instance);

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
        var parts = await ReadFormAsync(body, contentType, ct);
        foreach (var part in parts)
            if (FieldNames.Contains(part.Name, StringComparer.OrdinalIgnoreCase)) return part.Bytes;
        throw MissingField(FieldNames, parts);
    }

    /// <summary>
    /// A form field: its name, file name (when the client gave one) and bytes. <see cref="IsFile"/>: a part with a
    /// file name or a non-text content type, as <c>curl -F name=@x.jpg</c> sends.
    /// </summary>
    public readonly record struct FormPart(string Name, string? FileName, byte[] Bytes, bool IsFile)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes).Trim();
    }

    /// <summary>Every part of a <c>multipart/form-data</c> body, in order (the compatible APIs read text fields beside the image).</summary>
    public static async Task<List<FormPart>> ReadFormAsync(byte[] body, string contentType, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var header) || HeaderUtilities.RemoveQuotes(header.Boundary).Value is not { Length: > 0 } boundary)
            throw new RouterException(ErrorCodes.MalformedRequest, "a multipart/form-data body needs a boundary in its content type", "content-type", contentType);
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        var parts = new List<FormPart>();
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                using var part = new MemoryStream();
                await section.Body.CopyToAsync(part, ct);
                bool isFile = !string.IsNullOrEmpty(fileName) || (section.ContentType is { } t && !t.StartsWith("text/", StringComparison.OrdinalIgnoreCase));
                parts.Add(new FormPart(name, fileName, part.ToArray(), isFile));
            }
        }
        catch (IOException e)
        {
            throw new RouterException(ErrorCodes.MalformedRequest, "the multipart/form-data body is malformed: " + e.Message, "body");
        }
        return parts;
    }

    public static RouterException MissingField(IReadOnlyList<string> fields, IReadOnlyList<FormPart> parts) =>
        RouterException.BadParam(fields[0], parts.Count == 0 ? null : string.Join(",", parts.Select(p => p.Name)),
            $"a multipart/form-data upload needs the image in a field {string.Join(", ", fields)}" +
            (parts.Count > 0 ? $" (fields sent: {string.Join(", ", parts.Select(p => p.Name))})" : ""));

    /// <summary>
    /// Several images in one request (enrolling a person from several photos): every file part of a
    /// multipart body whatever its field name, a JSON body's <c>photos</c> array of base64 strings, or
    /// one raw image. Each comes with a label for per-photo answers (its file name, or its position).
    /// </summary>
    public static async Task<List<(string Label, byte[] Image)>> ReadManyAsync(HttpContext context)
    {
        var bytes = await RequestBody.ReadBytesAsync(context);
        var type = context.Request.ContentType;
        switch (type?.Split(';')[0].Trim().ToLowerInvariant())
        {
            case "multipart/form-data":
                var files = (await ReadFormAsync(bytes, type!, context.RequestAborted)).Where(p => p.IsFile).ToList();
                if (files.Count == 0) throw RouterException.BadParam("photos", null, "the multipart/form-data body has no file parts");
                return files.Select((p, i) => (p.FileName ?? $"#{i}", p.Bytes)).ToList();
            case "application/json":
                var json = RequestBody.ParseObject(bytes);
                if (!json.TryGetProperty("photos", out var photos) || photos.ValueKind != JsonValueKind.Array || photos.GetArrayLength() == 0)
                    return [("#0", FromJson(bytes))];
                var list = new List<(string, byte[])>();
                int n = 0;
                foreach (var photo in photos.EnumerateArray())
                {
                    if (photo.ValueKind != JsonValueKind.String) throw RouterException.BadParam($"photos[{n}]", photo.GetRawText(), "each photo is an image in base64");
                    list.Add(($"#{n}", Base64(photo.GetString()!, $"photos[{n}]")));
                    n++;
                }
                return list;
            default:
                return [("#0", bytes)];
        }
    }

    /// <summary>
    /// Several named images of one request (CompreFace's <c>source_image</c> and <c>target_image</c>): from the
    /// multipart fields of those names, or from JSON base64 under them; BAD_PARAM naming the first one missing.
    /// </summary>
    public static async Task<byte[][]> ReadFieldsAsync(HttpContext context, params string[] fields)
    {
        var bytes = await RequestBody.ReadBytesAsync(context);
        var type = context.Request.ContentType;
        var result = new byte[fields.Length][];
        switch (type?.Split(';')[0].Trim().ToLowerInvariant())
        {
            case "multipart/form-data":
                var parts = await ReadFormAsync(bytes, type!, context.RequestAborted);
                for (int i = 0; i < fields.Length; i++)
                    result[i] = parts.FirstOrDefault(p => string.Equals(p.Name, fields[i], StringComparison.OrdinalIgnoreCase)).Bytes
                        ?? throw MissingField([fields[i]], parts);
                return result;
            case "application/json":
                var json = RequestBody.ParseObject(bytes);
                for (int i = 0; i < fields.Length; i++)
                    result[i] = json.TryGetProperty(fields[i], out var v) && v.ValueKind == JsonValueKind.String ? Base64(v.GetString()!, fields[i])
                        : throw RouterException.BadParam(fields[i], null, $"'{fields[i]}' must be an image in base64");
                return result;
            default:
                throw RouterException.BadParam(fields[0], null, $"send {string.Join(" and ", fields)} as multipart/form-data fields or JSON base64");
        }
    }

    private static byte[] Base64(string text, string param)
    {
        // data:image/jpeg;base64,....
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && text.IndexOf(',') is var comma and > 0) text = text[(comma + 1)..];
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw RouterException.BadParam(param, null, $"'{param}' is not valid base64"); }
    }

    private static byte[] FromJson(byte[] body)
    {
        var json = RequestBody.ParseObject(body);
        foreach (var name in FieldNames)
        {
            if (!json.TryGetProperty(name, out var value)) continue;
            if (value.ValueKind != JsonValueKind.String) throw RouterException.BadParam(name, value.GetRawText(), $"'{name}' must be the image in base64");
            return Base64(value.GetString()!, name);
        }
        throw RouterException.BadParam("file", null, $"a JSON upload needs the image in base64 under {string.Join(", ", FieldNames)}");
    }
}
