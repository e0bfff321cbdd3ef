using System.Diagnostics;
using Router.Abstractions;
using Router.Models.Imaging;
using Router.Tests.Common;
using Router.Tests.Common.Images;
using Xunit;

namespace Router.Models.Tests.Imaging;

/// <summary>
/// Issue 12, item 2: the header decides before any pixel memory is taken. Every format's size
/// and depth come from its header, and what is over the pixel or the per-decode memory limit
/// is the pixel-limit error (BAD_PARAM on <c>image</c>), never a decode or "unknown image type".
/// </summary>
public sealed class DecodeLimitTests
{
    private static byte[] Convert(string extension, params string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), $"router-{Guid.NewGuid():N}.{extension}");
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-loglevel", "error", "-y", "-i", SamplePhotos.PathOf("sample1.jpg") }.Concat(args).Append(output))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        try { return File.ReadAllBytes(output); }
        finally { File.Delete(output); }
    }

    private static RouterException Refused(byte[] bytes, DecodeLimits? limits = null) =>
        Assert.Throws<RouterException>(() => ImageDecoder.Decode(bytes, limits ?? DecodeLimits.Default).Dispose());

    [Fact]
    public void A_583_KB_16_bit_png_of_10000x10000_is_judged_from_its_header()
    {
        var png = BombImages.Png16(10000, 10000);
        Assert.InRange(png.Length, 500_000, 700_000);
        var header = ImageHeaders.Read(png);
        Assert.Equal((ImageFormat.Png, 10000, 10000, 16), (header.Format, header.Width, header.Height, header.BitsPerChannel));
        // Skia decodes it row by row into the 4-byte-a-pixel result (stb_image took ~1.35 GB:
        // the inflated scanlines beside the unfiltered 16-bit picture), so the default limit admits it;
        // a limit under the estimate refuses it before any pixel memory is taken.
        Assert.InRange(header.DecodeBytes, 400_000_000L, 420_000_000L);
        var e = Refused(png, new DecodeLimits(BgrImage.MaxPixels, 256L << 20));
        Assert.Equal((ErrorCodes.BadParam, "image", "10000x10000"), (e.Code, e.Param, e.Value));
        Assert.Contains("limit per decode", e.Reason);
    }

    [Fact]
    public void A_small_png_claiming_30000x30000_is_refused_without_allocating()
    {
        // A valid header and a first IDAT of a few bytes: 900 MP claimed by a file of under 100 bytes.
        byte[] png = [.. BombImages.PngHeader(30000, 30000), 0, 0, 0, 2, (byte)'I', (byte)'D', (byte)'A', (byte)'T', 0x78, 0x9C, 0, 0, 0, 0];
        Assert.True(png.Length < 100);
        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Refused(png);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal((ErrorCodes.BadParam, "image", "30000x30000"), (e.Code, e.Param, e.Value));
        Assert.Contains("pixel limit", e.Reason);
        // The exception and its message, nothing the size of a picture (900 MP would be 2.7 GB of BGR).
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void A_35_byte_gif_with_a_10000x10000_screen_is_judged_by_its_screen()
    {
        var gif = BombImages.Gif(10000, 10000);
        Assert.Equal(35, gif.Length);
        var header = ImageHeaders.Read(gif);
        Assert.Equal((ImageFormat.Gif, 10000, 10000), (header.Format, header.Width, header.Height));
        // Its one frame is 1×1, but the decode fills the whole screen: 4 bytes a pixel of it.
        Assert.True(header.DecodeBytes >= 4L * header.Pixels);
        var e = Refused(gif, new DecodeLimits(50_000_000, DecodeLimits.DefaultMaxDecodeBytes));
        Assert.Equal((ErrorCodes.BadParam, "image", "10000x10000"), (e.Code, e.Param, e.Value));
        e = Refused(gif, new DecodeLimits(BgrImage.MaxPixels, 256L << 20));
        Assert.Equal((ErrorCodes.BadParam, "image"), (e.Code, e.Param));
    }

    [Fact]
    public void The_same_gif_with_a_small_screen_decodes()
    {
        using var decoded = ImageDecoder.Decode(BombImages.Gif(64, 48));
        Assert.Equal((64, 48), (decoded.Image.Width, decoded.Image.Height));
    }

    [Fact]
    public void A_png_over_the_pixel_limit_is_the_pixel_limit_error_not_an_unknown_type()
    {
        // 20 million pixels a side: over stb_image's own 2^24 limit, whose refusal read as "unknown image type".
        var e = Refused(BombImages.PngHeader(20_000_000, 20_000_000));
        Assert.Equal((ErrorCodes.BadParam, "image", "20000000x20000000"), (e.Code, e.Param, e.Value));
        Assert.Contains("pixel limit", e.Reason);
    }

    [Theory]
    [InlineData("png", ImageFormat.Png, 8)]
    [InlineData("png", ImageFormat.Png, 16, "-pix_fmt", "rgb48be")]
    [InlineData("gif", ImageFormat.Gif, 8, "-frames:v", "1")]
    [InlineData("bmp", ImageFormat.Bmp, 8)]
    [InlineData("webp", ImageFormat.Webp, 8, "-c:v", "libwebp", "-quality", "80")]
    [InlineData("webp", ImageFormat.Webp, 8, "-c:v", "libwebp", "-lossless", "1")]
    [InlineData("jpg", ImageFormat.Jpeg, 8)]
    [InlineData("jpg", ImageFormat.Jpeg, 8, "-c:v", "mjpeg", "-q:v", "3", "-pix_fmt", "yuvj444p")]
    public void Every_format_reports_its_size_and_depth_from_the_header(string extension, ImageFormat format, int bits, params string[] args)
    {
        var bytes = Convert(extension, args);
        var header = ImageHeaders.Read(bytes);
        Assert.Equal((format, 1920, 1280, bits), (header.Format, header.Width, header.Height, header.BitsPerChannel));
        // At least the BGR result, at most the worst case of any format (16-bit PNG: 12 bytes a pixel and a filter byte a row).
        Assert.InRange(header.DecodeBytes, 3L * 1920 * 1280, ImageHeaders.WithMargin(12L * 1920 * 1280 + 1280));
        using var decoded = ImageDecoder.Decode(bytes);
        Assert.Equal((header.Width, header.Height), (decoded.Image.Width, decoded.Image.Height));
        // A decode limit under the header's estimate refuses the same bytes with the pixel-limit error.
        var e = Refused(bytes, new DecodeLimits(BgrImage.MaxPixels, header.DecodeBytes - 1));
        Assert.Equal((ErrorCodes.BadParam, "image"), (e.Code, e.Param));
    }

    [Fact]
    public void A_progressive_jpeg_counts_its_coefficient_buffer()
    {
        var jpeg = SamplePhotos.Read("sample1.jpg");
        var baseline = ImageHeaders.Read(jpeg);
        Assert.Equal(ImageHeaders.WithMargin(3L * baseline.Pixels), baseline.DecodeBytes);
        // The same header with its frame marked progressive (SOF0 -> SOF2): only the header is read.
        var progressive = jpeg.ToArray();
        var sof = progressive.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        Assert.True(sof > 0);
        progressive[sof + 1] = 0xC2;
        Assert.Equal(ImageHeaders.WithMargin(9L * baseline.Pixels), ImageHeaders.Read(progressive).DecodeBytes);
    }

    [Fact]
    public void Headers_claiming_huge_pictures_are_refused_in_every_format()
    {
        // BMP with a 40-byte info header: 50000 × -50000 (top-down).
        var bmp = new byte[54];
        bmp[0] = (byte)'B'; bmp[1] = (byte)'M';
        BitConverter.TryWriteBytes(bmp.AsSpan(14), 40);
        BitConverter.TryWriteBytes(bmp.AsSpan(18), 50000);
        BitConverter.TryWriteBytes(bmp.AsSpan(22), -50000);
        BitConverter.TryWriteBytes(bmp.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bmp.AsSpan(28), (short)24);
        Assert.Equal((ErrorCodes.BadParam, "50000x50000"), (Refused(bmp).Code, Refused(bmp).Value));
        // WEBP lossless (VP8L) of 16384×16384: the 14-bit sizes minus one packed after the 0x2F signature.
        var bits = (16383u) | (16383u << 14);
        byte[] webp = [.. "RIFF"u8, 26, 0, 0, 0, .. "WEBPVP8L"u8, 13, 0, 0, 0, 0x2F, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24), 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal((ErrorCodes.BadParam, "16384x16384"), (Refused(webp).Code, Refused(webp).Value));
    }

    [Fact]
    public void Only_pictures_up_to_a_4k_frame_are_pooled()
    {
        using (var frame = BgrImage.Rent(3840, 2160)) Assert.True(frame.IsPooled);
        using (var upload = BgrImage.Rent(4000, 3000)) Assert.False(upload.IsPooled);
    }
}
