using System.Buffers.Binary;
using System.Text.Json;
using Router.Abstractions;

namespace Router.Host.Plugins.Isolation;

/// <summary>
/// The pipe between the host and an isolated plugin's process: each message is a 4-byte
/// little-endian length and that many bytes of JSON (<see cref="PluginMessage"/>). Messages of
/// several calls interleave; each carries the id of its call.
/// </summary>
internal static class PluginFrames
{
    /// <summary>A frame holds one face event (the photo in base64): far below this.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    public static async Task WriteAsync(Stream stream, SemaphoreSlim writeLock, PluginMessage message, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(message, RouterJson.Options);
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, json.Length);
        await writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(header, ct).ConfigureAwait(false);
            await stream.WriteAsync(json, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
        finally { writeLock.Release(); }
    }

    /// <summary>The next message, or null at the end of the stream (the other side is gone).</summary>
    public static async Task<PluginMessage?> ReadAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[4];
        if (!await FillAsync(stream, header, ct).ConfigureAwait(false)) return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 2 or > MaxBytes) throw new InvalidDataException($"a plugin frame of {length} bytes");
        var body = new byte[length];
        if (!await FillAsync(stream, body, ct).ConfigureAwait(false)) return null;
        return JsonSerializer.Deserialize<PluginMessage>(body, RouterJson.Options);
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
