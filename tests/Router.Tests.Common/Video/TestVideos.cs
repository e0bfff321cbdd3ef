using System.Diagnostics;
using System.Globalization;

namespace Router.Tests.Common.Video;

/// <summary>
/// Test clips made with ffmpeg at test time from the sample photos (or ffmpeg's test
/// patterns), 1280×720 H.264 at 25 fps with in-band headers, cached per process run in a
/// temp folder. Each clip's people are known by construction (the photo's face count).
/// </summary>
public static class TestVideos
{
    public const int Width = 1280, Height = 720, Fps = 25;
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"router-test-videos-{Environment.ProcessId}");
    private static readonly SemaphoreSlim Lock = new(1, 1);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>ffmpeg's testsrc2 pattern (no faces).</summary>
    public static Task<string> TestPatternAsync(double seconds, int width = 320, int height = 240, int fps = Fps) =>
        MakeAsync($"testsrc-{seconds}-{width}x{height}-{fps}", ["-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={fps}", "-t", S(seconds)], null);

    /// <summary>A sample photo fitted into the frame, still, for <paramref name="seconds"/>.</summary>
    public static Task<string> StillAsync(string photo, double seconds) =>
        MakeAsync($"still-{photo}-{seconds}", ["-loop", "1", "-framerate", $"{Fps}", "-i", SamplePhotos.PathOf(photo), "-t", S(seconds)], Fit() );

    /// <summary>
    /// The photo shrunk to 800 px wide on a black 1280×720 canvas, sliding from the left edge
    /// to the right edge in <paramref name="seconds"/> (120 px/s at 4 s): every face moves and stays whole.
    /// </summary>
    public static Task<string> PanAsync(string photo, double seconds) =>
        MakeAsync($"pan-{photo}-{seconds}",
            ["-f", "lavfi", "-i", $"color=c=black:size={Width}x{Height}:rate={Fps}", "-loop", "1", "-framerate", $"{Fps}", "-i", SamplePhotos.PathOf(photo), "-t", S(seconds)],
            null, filterComplex: $"[1]scale=800:-2,setsar=1[p];[0][p]overlay=x='(W-w)*t/{S(seconds)}':y='(H-h)/2':shortest=1,format=yuv420p[out]");

    /// <summary>
    /// The photo at 640 px wide in the middle of the frame, zooming in about the centre to
    /// 1.6× over <paramref name="seconds"/>: faces grow steadily, the largest in the last frame.
    /// </summary>
    public static Task<string> ZoomInAsync(string photo, double seconds)
    {
        int frames = (int)Math.Round(seconds * Fps);
        return MakeAsync($"zoom-{photo}-{seconds}", ["-i", SamplePhotos.PathOf(photo)],
            $"scale=640:-2,pad={Width}:{Height}:(ow-iw)/2:(oh-ih)/2,setsar=1,zoompan=z='1+0.6*on/{frames}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d={frames}:s={Width}x{Height}:fps={Fps}");
    }

    /// <summary>A black frame, still, for <paramref name="seconds"/> (no faces, no motion).</summary>
    public static Task<string> BlackAsync(double seconds) =>
        MakeAsync($"black-{seconds}", ["-f", "lavfi", "-i", $"color=c=black:size={Width}x{Height}:rate={Fps}", "-t", S(seconds)], null);

    /// <summary>Photo A still, then black (no faces), then photo B still: a cut with an empty segment between.</summary>
    public static async Task<string> CutAsync(string photoA, string photoB, double secondsEach, double blackSeconds)
    {
        var a = await StillAsync(photoA, secondsEach);
        var b = await StillAsync(photoB, secondsEach);
        var black = await BlackAsync(blackSeconds);
        return await MakeAsync($"cut-{photoA}-{photoB}-{secondsEach}-{blackSeconds}", ["-i", a, "-i", black, "-i", b], null,
            filterComplex: "[0][1][2]concat=n=3:v=1:a=0,format=yuv420p[out]");
    }

    /// <summary>Several clips one after another (same size and rate).</summary>
    public static Task<string> ConcatAsync(string name, params string[] clips)
    {
        var inputs = clips.SelectMany(c => new[] { "-i", c }).ToArray();
        var pads = string.Concat(Enumerable.Range(0, clips.Length).Select(i => $"[{i}]"));
        return MakeAsync($"concat-{name}", inputs, null, filterComplex: $"{pads}concat=n={clips.Length}:v=1:a=0,format=yuv420p[out]");
    }

    private static string Fit() => $"scale={Width}:{Height}:force_original_aspect_ratio=decrease,pad={Width}:{Height}:(ow-iw)/2:(oh-ih)/2,setsar=1";
    private static string S(double v) => v.ToString(Inv);

    private static async Task<string> MakeAsync(string name, string[] inputs, string? filter, string? filterComplex = null)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name.Replace('.', '_') + ".mp4");
        await Lock.WaitAsync();
        try
        {
            if (File.Exists(path)) return path;
            var args = new List<string> { "-y", "-v", "error" };
            args.AddRange(inputs);
            if (filterComplex != null) args.AddRange(["-filter_complex", filterComplex, "-map", "[out]"]);
            else args.AddRange(["-vf", (filter != null ? filter + "," : "") + "format=yuv420p"]);
            args.AddRange(["-r", $"{Fps}", "-c:v", "libx264", "-preset", "veryfast", "-g", $"{Fps}", "-bf", "0", "-x264-params", "repeat-headers=1", "-an", path + ".tmp.mp4"]);
            await Ffmpeg.RunAsync(args, TimeSpan.FromSeconds(120));
            File.Move(path + ".tmp.mp4", path, overwrite: true);
            return path;
        }
        finally
        {
            Lock.Release();
        }
    }
}
