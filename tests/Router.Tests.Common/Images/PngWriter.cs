using System.IO.Compression;

namespace Router.Tests.Common.Images;

/// <summary>
/// RGB PNGs of a BGR picture made here byte by byte, for what ffmpeg's encoder does not write:
/// Adam7 interlacing, chunks placed before the image data (an <c>eXIf</c> orientation), and
/// 16-bit samples that are exactly 257 × the 8-bit ones (ffmpeg's conversion is not). Every row
/// has filter 0; the pixels are exact, so a decode must give them back unchanged.
/// </summary>
public static class PngWriter
{
    // Adam7 passes: first column, first row, column step, row step.
    private static readonly (int X, int Y, int Dx, int Dy)[] Passes =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static byte[] Rgb8(ReadOnlySpan<byte> bgr, int width, int height, bool interlaced = false, int exifOrientation = 0) =>
        Rgb(bgr, width, height, 8, interlaced, exifOrientation);

    public static byte[] Rgb16(ReadOnlySpan<byte> bgr, int width, int height) => Rgb(bgr, width, height, 16, false, 0);

    private static byte[] Rgb(ReadOnlySpan<byte> bgr, int width, int height, int bits, bool interlaced, int exifOrientation)
    {
        var bytes = bits / 8; // a sample's bytes; a 16-bit one is the 8-bit value twice (v × 257), big-endian

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var (x0, y0, dx, dy) in interlaced ? Passes : [(0, 0, 1, 1)])
            {
                int pw = (width - x0 + dx - 1) / dx, ph = (height - y0 + dy - 1) / dy;
                if (pw <= 0 || ph <= 0) continue;
                var row = new byte[1 + pw * 3 * bytes];
                for (var py = 0; py < ph; py++)
                {
                    var y = y0 + py * dy;
                    for (var px = 0; px < pw; px++)
                    {
                        var s = (y * width + x0 + px * dx) * 3;
                        for (var c = 0; c < 3; c++)
                            for (var k = 0; k < bytes; k++)
                                row[1 + (px * 3 + c) * bytes + k] = bgr[s + 2 - c];
                    }
                    z.Write(row);
                }
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bits;
        ihdr[9] = 2;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        BombImages.Chunk(png, "IHDR", ihdr);
        if (exifOrientation != 0) BombImages.Chunk(png, "eXIf", ExifTiff(exifOrientation));
        BombImages.Chunk(png, "IDAT", idat.ToArray());
        BombImages.Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A big-endian TIFF header with one IFD entry, Orientation (SHORT, count 1).</summary>
    public static byte[] ExifTiff(int orientation) =>
        [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0, 0];
}
