using System.Buffers.Binary;
using System.IO.Compression;

namespace Router.Tests.Common.Images;

/// <summary>
/// The small files of issue 12 that claim huge pictures, made here byte by byte: a valid
/// 16-bit RGB PNG of 10000×10000 black pixels (583 KB: the scanlines deflate ~1000:1) and a
/// 35-byte GIF whose logical screen is 10000×10000.
/// </summary>
public static class BombImages
{
    public static byte[] Png16(int width, int height)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + width * 6]; // filter byte 0, then RGB at 16 bits
            for (var y = 0; y < height; y++) z.Write(row);
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 16; // bits per channel
        ihdr[9] = 2;  // RGB
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG header (signature and IHDR) claiming this size at 8 bits RGB, no pixel data.</summary>
    public static byte[] PngHeader(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        return png.ToArray();
    }

    /// <summary>Writes one PNG chunk: length, type, data, CRC.</summary>
    internal static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        s.Write(head);
        s.Write(data);
        var sum = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, Crc32(Crc32(0xFFFFFFFF, head.AsSpan(4)), data) ^ 0xFFFFFFFF);
        s.Write(sum);
    }

    /// <summary>PNG's CRC-32 (ISO 3309, reflected 0xEDB88320), bit by bit: the chunks here are few.</summary>
    private static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return crc;
    }

    /// <summary>
    /// GIF89a, a 10000×10000 logical screen, a 2-colour global table, one 1×1 image with one
    /// LZW-coded pixel, trailer: 35 bytes.
    /// </summary>
    public static byte[] Gif(int width, int height) =>
    [
        (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a',
        (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x80, 0, 0, // screen, global table of 2
        0, 0, 0, 0xFF, 0xFF, 0xFF,                                                     // the table
        0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0,                                               // image descriptor 1×1 at 0,0
        2, 2, 0x44, 0x01, 0,                                                           // LZW min code 2, one block: clear, 0, end
        0x3B,
    ];
}
