using System.Diagnostics;
using Router.Models.Imaging;
using Router.Tests.Common;
using Router.Tests.Common.Images;
using Xunit;
using Xunit.Abstractions;

namespace Router.Models.Tests.Imaging;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DecodeMemoryCollection
{
    public const string Name = "decode memory (alone: measures the process's peak RSS)";
}

/// <summary>
/// The measurement behind <see cref="ImageHeaders"/>' estimates: the peak RSS a decode adds
/// (Linux <c>/proc/self/clear_refs</c> 5 resets the peak, then <c>VmHWM</c> − <c>VmRSS</c> before),
/// for a 4800×3200 picture (15 MP, large against the process's noise) in every format. Each
/// estimate must cover what was measured; the figures are printed (README, "Decoding under a budget").
/// </summary>
[Collection(DecodeMemoryCollection.Name)]
public sealed class DecodeMemoryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("jpg")]
    [InlineData("png")]
    [InlineData("png", "-pix_fmt", "rgb48be")]
    [InlineData("png", "-pix_fmt", "rgba")]
    [InlineData("gif")]
    [InlineData("bmp")]
    [InlineData("webp", "-c:v", "libwebp", "-quality", "80")]
    [InlineData("webp", "-c:v", "libwebp", "-lossless", "1", "-compression_level", "0")]
    public void The_header_estimate_covers_the_measured_peak(string extension, params string[] args)
    {
        var bytes = Convert(extension, ["-vf", "scale=4800:3200", "-frames:v", "1", .. args]);
        Measure(bytes, $"{extension} {string.Join(' ', args)}");
    }

    [Fact]
    public void The_header_estimate_covers_the_measured_peak_of_an_interlaced_png()
    {
        // ffmpeg writes no Adam7 PNG: the same 4800×3200 picture, interlaced here.
        using var picture = ImageDecoder.Decode(Convert("png", ["-vf", "scale=4800:3200", "-frames:v", "1"]));
        Measure(PngWriter.Rgb8(picture.Image.Pixels, picture.Image.Width, picture.Image.Height, interlaced: true), "png interlaced (Adam7)");
    }

    private void Measure(byte[] bytes, string label)
    {
        var header = ImageHeaders.Read(bytes);
        // The least of three decodes: anything else the process does meanwhile only adds to a peak.
        long added = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            File.WriteAllText("/proc/self/clear_refs", "5");
            var before = Status("VmRSS");
            using (ImageDecoder.Decode(bytes)) { }
            added = Math.Min(added, Status("VmHWM") - before);
        }
        output.WriteLine($"{label}: {header.Width}x{header.Height} {header.BitsPerChannel}-bit, " +
                         $"peak RSS +{added / 1e6:F0} MB ({(double)added / header.Pixels:F2} B/px), estimate {header.DecodeBytes / 1e6:F0} MB ({(double)header.DecodeBytes / header.Pixels:F2} B/px)");
        Assert.True(added <= header.DecodeBytes, $"measured {added} bytes over the estimate {header.DecodeBytes}");
    }

    [Fact]
    public void Resident_memory_falls_as_soon_as_a_big_picture_is_disposed()
    {
        // 6000×4000 (72 MB): over the pooled size. Before, its array stayed in the pool (and the
        // process) for good; a plain managed array would stay until the next full collection.
        var image = BgrImage.Rent(6000, 4000);
        image.Pixels.Fill(7);
        var held = Status("VmRSS");
        image.Dispose();
        var after = Status("VmRSS");
        output.WriteLine($"RSS {held / 1e6:F0} MB with the picture, {after / 1e6:F0} MB after Dispose");
        Assert.True(held - after >= 60_000_000, $"RSS fell by {(held - after) / 1e6:F0} MB only");
    }

    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException(field + " missing from /proc/self/status");
    }

    private static byte[] Convert(string extension, string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"router-{Guid.NewGuid():N}.{extension}");
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-loglevel", "error", "-y", "-i", SamplePhotos.PathOf("sample1.jpg") }.Concat(args).Append(path))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        try { return File.ReadAllBytes(path); }
        finally { File.Delete(path); }
    }
}
