using System.Diagnostics;
using System.Globalization;
using Router.Abstractions;

namespace Router.Host.Demo;

/// <summary>
/// Builds the demo clip that `router run` replays on embedded defaults: the six sample
/// photos, each shown for a few seconds with a slow zoom (so tracks get a best shot that is
/// clearly better than their first frame), 1280×720 at 25 fps, H.264 with in-band headers.
/// Made with ffmpeg on first use rather than committed, like every other asset.
/// </summary>
public static class DemoVideo
{
    public const int Width = 1280, Height = 720, Fps = 25;

    public static async Task<string> EnsureAsync(string photosDirectory, string outputPath, double secondsPerPhoto, CancellationToken ct)
    {
        if (File.Exists(outputPath) && new FileInfo(outputPath).Length > 0) return outputPath;
        var photos = Enumerable.Range(1, 6).Select(i => Path.Combine(photosDirectory, $"sample{i}.jpg")).ToArray();
        foreach (var p in photos)
            if (!File.Exists(p)) throw new RouterException(ErrorCodes.NotFound, $"sample photo {p} is missing: run ./router setup");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        var tmp = outputPath + ".tmp.mp4";
        int frames = (int)Math.Round(secondsPerPhoto * Fps);
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string> { "-y", "-v", "error" };
        foreach (var p in photos) args.AddRange(["-i", p]);
        var filter = new System.Text.StringBuilder();
        for (int i = 0; i < photos.Length; i++)
        {
            // Fit the photo into the frame, then zoom in slowly from 1.0 to 1.25 about the centre.
            filter.Append(inv, $"[{i}]scale={Width}:{Height}:force_original_aspect_ratio=decrease,pad={Width}:{Height}:(ow-iw)/2:(oh-ih)/2,setsar=1,");
            filter.Append(inv, $"zoompan=z='1+0.25*on/{frames}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d={frames}:s={Width}x{Height}:fps={Fps}[v{i}];");
        }
        for (int i = 0; i < photos.Length; i++) filter.Append(inv, $"[v{i}]");
        filter.Append(inv, $"concat=n={photos.Length}:v=1:a=0,format=yuv420p[out]");
        args.AddRange(["-filter_complex", filter.ToString(), "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast",
            "-g", Fps.ToString(inv), "-bf", "0", "-x264-params", "repeat-headers=1", tmp]);

        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new RouterException(ErrorCodes.UnknownError, "could not start ffmpeg");
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new RouterException(ErrorCodes.UnknownError, $"ffmpeg failed to build the demo video: {stderr.Trim()}");
        File.Move(tmp, outputPath, overwrite: true);
        return outputPath;
    }
}
