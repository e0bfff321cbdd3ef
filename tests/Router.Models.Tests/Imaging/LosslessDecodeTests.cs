using System.Buffers.Binary;
using System.Diagnostics;
using Router.Models.Imaging;
using Router.Tests.Common;
using Router.Tests.Common.Images;
using Xunit;

namespace Router.Models.Tests.Imaging;

/// <summary>
/// Issue 14: PNG, BMP and GIF through Skia's codecs. A picture stored losslessly must come back
/// pixel for pixel whatever the container (PNG at 8 and 16 bits, with alpha, interlaced; BMP;
/// WEBP lossless), and an EXIF orientation in a PNG or a WEBP is applied like a JPEG's.
/// </summary>
public sealed class LosslessDecodeTests
{
    private static BgrImage Original()
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample1.jpg"));
        // An odd size, so that no row or pass lines up with a SIMD step or an Adam7 block.
        return ImageOps.Resize(decoded.Image, 637, 419);
    }

    /// <summary>The BGR picture encoded by ffmpeg from raw bgr24.</summary>
    private static byte[] Encode(BgrImage image, string extension, params string[] args)
    {
        var raw = Path.Combine(Path.GetTempPath(), $"router-{Guid.NewGuid():N}.bgr");
        var output = Path.ChangeExtension(raw, extension);
        File.WriteAllBytes(raw, image.Pixels.ToArray());
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{image.Width}x{image.Height}", "-i", raw }.Concat(args).Append(output))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        try
        {
            Assert.True(p.ExitCode == 0, errors);
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(raw);
            File.Delete(output);
        }
    }

    public static TheoryData<string> Containers => ["png rgb24", "png rgba", "png rgb48 (16-bit)", "png interlaced", "bmp", "webp lossless"];

    [Theory]
    [MemberData(nameof(Containers))]
    public void A_lossless_picture_comes_back_pixel_for_pixel(string container)
    {
        using var original = Original();
        var bytes = container switch
        {
            "png rgb24" => Encode(original, "png"),
            "png rgba" => Encode(original, "png", "-pix_fmt", "rgba"),
            "png rgb48 (16-bit)" => PngWriter.Rgb16(original.Pixels, original.Width, original.Height),
            "png interlaced" => PngWriter.Rgb8(original.Pixels, original.Width, original.Height, interlaced: true),
            "bmp" => Encode(original, "bmp"),
            _ => Encode(original, "webp", "-c:v", "libwebp", "-lossless", "1", "-pix_fmt", "bgra"),
        };
        using var decoded = ImageDecoder.Decode(bytes);
        Assert.Equal((original.Width, original.Height, 1), (decoded.Image.Width, decoded.Image.Height, decoded.Orientation));
        Assert.True(original.Pixels.SequenceEqual(decoded.Image.Pixels), $"{container}: pixels differ");
    }

    [Fact]
    public void A_gif_keeps_the_size_and_roughly_the_colours()
    {
        using var original = Original();
        using var decoded = ImageDecoder.Decode(Encode(original, "gif"));
        Assert.Equal((original.Width, original.Height), (decoded.Image.Width, decoded.Image.Height));
        // ffmpeg's GIF encoder quantizes to a fixed 3-3-2 palette (RGB8) and dithers: a mean error
        // of 10–20 levels a channel (14.8 measured), where a wrong channel order or row would give 60 and more.
        long error = 0;
        for (var i = 0; i < original.Length; i++) error += Math.Abs(original.Pixels[i] - decoded.Image.Pixels[i]);
        Assert.InRange((double)error / original.Length, 0, 20);
    }

    [Fact]
    public void A_gif_frame_smaller_than_its_screen_leaves_no_stale_pooled_pixels()
    {
        // The pooled buffers are not cleared: leave a marked one in the pool at the size the
        // decode rents (64×48 at 4 bytes a pixel), then decode a 64×48 screen with one 1×1 frame.
        for (var i = 0; i < 4; i++)
        {
            using var stale = BgrImage.RentForBgra(64, 48);
            stale.Bgra.Fill(0x7F);
        }
        using var decoded = ImageDecoder.Decode(BombImages.Gif(64, 48));
        Assert.Equal((64, 48), (decoded.Image.Width, decoded.Image.Height));
        Assert.DoesNotContain((byte)0x7F, decoded.Image.Pixels.ToArray());
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    public void The_exif_orientation_of_a_png_or_a_webp_is_applied(string format)
    {
        using var upright = Original();
        // Stored rotated 90° counter-clockwise and tagged 6 ("rotate 90° CW to view").
        using var stored = ExifOrientation.Apply(upright, 8);
        var bytes = format == "png"
            ? PngWriter.Rgb8(stored.Pixels, stored.Width, stored.Height, exifOrientation: 6)
            : WithWebpExif(Encode(stored, "webp", "-c:v", "libwebp", "-lossless", "1", "-pix_fmt", "bgra"), stored.Width, stored.Height, 6);
        Assert.Equal(6, ExifOrientation.Read(bytes));
        var header = ImageHeaders.Read(bytes);
        var untagged = format == "png"
            ? PngWriter.Rgb8(stored.Pixels, stored.Width, stored.Height)
            : Encode(stored, "webp", "-c:v", "libwebp", "-lossless", "1", "-pix_fmt", "bgra");
        // The rotation's second picture is counted before decoding.
        Assert.True(header.DecodeBytes >= ImageHeaders.Read(untagged).DecodeBytes + 3 * header.Pixels);
        using var decoded = ImageDecoder.Decode(bytes);
        Assert.Equal((upright.Width, upright.Height, 6), (decoded.Image.Width, decoded.Image.Height, decoded.Orientation));
        Assert.True(upright.Pixels.SequenceEqual(decoded.Image.Pixels), "the picture is not upright");
    }

    /// <summary>
    /// The extended WEBP container: a VP8X chunk (flag 0x08: EXIF present, the canvas size), the
    /// encoder's image chunk, then an EXIF chunk with the TIFF header.
    /// </summary>
    private static byte[] WithWebpExif(byte[] webp, int width, int height, int orientation)
    {
        Assert.True(webp.AsSpan(12, 4).SequenceEqual("VP8L"u8), "ffmpeg wrote a simple lossless WEBP");
        var vp8x = new byte[18];
        "VP8X"u8.CopyTo(vp8x);
        BinaryPrimitives.WriteInt32LittleEndian(vp8x.AsSpan(4), 10);
        vp8x[8] = 0x08;
        WriteUInt24(vp8x.AsSpan(12), width - 1);
        WriteUInt24(vp8x.AsSpan(15), height - 1);
        var tiff = PngWriter.ExifTiff(orientation);
        var exif = new byte[8 + tiff.Length + (tiff.Length & 1)];
        "EXIF"u8.CopyTo(exif);
        BinaryPrimitives.WriteInt32LittleEndian(exif.AsSpan(4), tiff.Length);
        tiff.CopyTo(exif, 8);
        byte[] result = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. vp8x, .. webp[12..], .. exif];
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(4), result.Length - 8);
        return result;
    }

    private static void WriteUInt24(Span<byte> at, int value)
    {
        at[0] = (byte)value;
        at[1] = (byte)(value >> 8);
        at[2] = (byte)(value >> 16);
    }
}
