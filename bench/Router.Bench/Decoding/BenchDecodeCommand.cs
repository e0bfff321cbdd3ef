using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Router.Host.Cli;
using Router.Models;
using Router.Models.Imaging;

namespace Router.Bench;

/// <summary>
/// `router bench decode`: ms per decode to upright BGR of one real photo (sample1, 1920×1280)
/// re-encoded by ffmpeg in every format uploads accept, through <see cref="ImageDecoder"/> as an
/// upload goes (header read, limits checked, decoded into a pooled picture). The formats are
/// interleaved run by run so that load from elsewhere hits all alike; median, min and p90 with
/// the load average. The figures behind the README's "Image codecs".
/// </summary>
internal static class BenchDecodeCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Timed decodes per format", DefaultValueFactory = _ => 60 };
        var command = new Command("decode", "Time decoding a photo in every accepted image format");
        command.Options.Add(runs);
        command.SetAction(parse => CliErrors.Run(() => Run(Math.Max(5, parse.GetValue(runs)))));
        return command;
    }

    private static readonly (string Name, string Extension, string[] Args)[] Formats =
    [
        ("jpeg q95 (libturbojpeg)", "jpg", ["-q:v", "2"]),
        ("png rgb24", "png", []),
        ("png rgba", "png", ["-pix_fmt", "rgba"]),
        ("png rgb48 (16-bit)", "png", ["-pix_fmt", "rgb48be"]),
        ("gif (palette, 1 frame)", "gif", ["-frames:v", "1"]),
        ("bmp 24-bit", "bmp", []),
        ("webp lossy q90", "webp", ["-c:v", "libwebp", "-quality", "90"]),
        ("webp lossless", "webp", ["-c:v", "libwebp", "-lossless", "1"]),
    ];

    private static int Run(int runs)
    {
        var source = Path.Combine(AssetLocator.PhotosDirectory, "sample1.jpg");
        var files = Formats.Select(f => Encode(source, f.Extension, f.Args)).ToArray();
        var times = new double[Formats.Length][];
        for (var f = 0; f < Formats.Length; f++)
        {
            times[f] = new double[runs];
            for (var i = 0; i < 3; i++) ImageDecoder.Decode(files[f]).Dispose();
        }
        var loadBefore = LoadAverage();
        for (var i = 0; i < runs; i++)
            for (var f = 0; f < Formats.Length; f++)
            {
                var start = Stopwatch.GetTimestamp();
                ImageDecoder.Decode(files[f]).Dispose();
                times[f][i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        var loadAfter = LoadAverage();
        Console.WriteLine($"Decode to upright BGR, sample1 (1920x1280) re-encoded by ffmpeg; {runs} runs a format, interleaved; load {loadBefore:F2} -> {loadAfter:F2}");
        Console.WriteLine($"{"format",-26} {"bytes",9} {"median",8} {"min",7} {"p90",7}");
        var results = new List<object>();
        for (var f = 0; f < Formats.Length; f++)
        {
            var sorted = times[f].Order().ToArray();
            double median = sorted[runs / 2], min = sorted[0], p90 = sorted[Math.Min(runs - 1, (int)(runs * 0.9))];
            Console.WriteLine($"{Formats[f].Name,-26} {files[f].Length,9} {median,8:F2} {min,7:F2} {p90,7:F2}");
            results.Add(new { format = Formats[f].Name, bytes = files[f].Length, median_ms = median, min_ms = min, p90_ms = p90 });
        }
        Console.WriteLine(JsonSerializer.Serialize(new { runs, load_average_start = loadBefore, load_average_end = loadAfter, results }));
        return 0;
    }

    private static byte[] Encode(string source, string extension, string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), $"router-bench-{Guid.NewGuid():N}.{extension}");
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-loglevel", "error", "-y", "-i", source }.Concat(args).Append(output))
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        var errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make the {extension}: {errors}");
        try { return File.ReadAllBytes(output); }
        finally { File.Delete(output); }
    }

    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture); }
        catch (IOException) { return double.NaN; }
    }
}
