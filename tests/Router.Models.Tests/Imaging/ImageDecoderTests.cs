using System.Diagnostics;
using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Models.Tests.Faces;
using Router.Tests.Common;
using Xunit;

namespace Router.Models.Tests.Imaging;

public sealed class ImageDecoderTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    private static byte[] Convert(string extension, params string[] codecArgs)
    {
        var output = Path.Combine(Path.GetTempPath(), $"router-{Guid.NewGuid():N}.{extension}");
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-loglevel", "error", "-y", "-i", SamplePhotos.PathOf("sample1.jpg") }.Concat(codecArgs).Append(output))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        try { return File.ReadAllBytes(output); }
        finally { File.Delete(output); }
    }

    [Theory]
    [InlineData("png", ImageFormat.Png)]
    [InlineData("bmp", ImageFormat.Bmp)]
    [InlineData("webp", ImageFormat.Webp)]
    public void Decodes_other_formats_to_the_same_faces(string extension, ImageFormat format)
    {
        var bytes = extension == "webp" ? Convert(extension, "-c:v", "libwebp", "-quality", "90") : Convert(extension);
        Assert.Equal(format, ImageDecoder.Sniff(bytes));
        using var decoded = ImageDecoder.Decode(bytes);
        Assert.Equal((1920, 1280), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal(3, fixture.Analyzer.Detect(decoded.Image).Count);
    }

    [Fact]
    public void Applies_exif_orientation_and_reports_upright_boxes()
    {
        var jpeg = SamplePhotos.Read("sample1.jpg");
        using var upright = ImageDecoder.Decode(jpeg);
        var expected = fixture.Analyzer.Detect(upright.Image);
        // Store the picture rotated 90° counter-clockwise and tag it orientation 6 ("rotate 90° CW to view").
        using var stored = ExifOrientation.Apply(upright.Image, 8);
        var rotated = WithOrientation(JpegCodec.Encode(stored, 95), 6);
        var result = fixture.Analyzer.AnalyzeImage(rotated, FaceFeatures.Detection);
        Assert.Equal(6, result.Orientation);
        Assert.Equal((1920, 1280), (result.Width, result.Height));
        Assert.Equal(expected.Count, result.Faces.Count);
        foreach (var e in expected)
            Assert.Contains(result.Faces, f => f.Detection.Box.IoU(e.Box) > 0.7);
    }

    /// <summary>Inserts an APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) after SOI.</summary>
    private static byte[] WithOrientation(byte[] jpeg, int orientation)
    {
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0, 0];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    [Fact]
    public void Bad_bytes_are_malformed_requests()
    {
        var jpeg = SamplePhotos.Read("sample1.jpg");
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        var png = Convert("png");
        foreach (var bad in new[] { Array.Empty<byte>(), random, jpeg[..(jpeg.Length / 3)], png[..(png.Length / 2)] })
            Assert.Equal(ErrorCodes.MalformedRequest, Assert.Throws<RouterException>(() => ImageDecoder.Decode(bad).Dispose()).Code);
    }

    [Fact]
    public void Huge_dimensions_are_bad_params()
    {
        // A valid PNG header claiming 10000×12000 pixels (120 MP): refused before any pixel memory is taken.
        byte[] header = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R',
            0, 0, 0x27, 0x10, 0, 0, 0x2E, 0xE0, 8, 2, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(ErrorCodes.BadParam, Assert.Throws<RouterException>(() => ImageDecoder.Decode(header).Dispose()).Code);
    }

    [Fact]
    public void Tiles_find_small_faces_in_a_full_hd_frame()
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample6.jpg"));
        // Faces of ~290 px shrunk to ~40 px, pasted into a grey 1920×1080 frame.
        using var small = ImageOps.Resize(decoded.Image, decoded.Image.Width * 40 / 290, decoded.Image.Height * 40 / 290);
        using var frame = BgrImage.Rent(1920, 1080);
        frame.Pixels.Fill(110);
        ImageOps.Paste(frame, small, 1100, 600);
        var plain = fixture.Analyzer.Detect(frame, DetectionOptions.Default);
        var tiled = fixture.Analyzer.Detect(frame, DetectionOptions.Default with { Tiles = true });
        Assert.True(tiled.Count >= 3, $"tiles found {tiled.Count} of 4 small faces");
        Assert.True(tiled.Count > plain.Count);
        Assert.All(tiled, f => Assert.InRange(f.Box.Width, 25, 70));
    }
}
