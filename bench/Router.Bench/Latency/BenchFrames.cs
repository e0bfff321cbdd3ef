using System.Diagnostics;
using Router.Abstractions;

namespace Router.Bench;

/// <summary>
/// The two pictures the latency benchmark's camera alternates, as raw BGR24 frames of the camera's size:
/// a plain background, and a sample photo fitted into the frame (letterboxed on the same background).
/// Made by ffmpeg from the photo once, so the camera's frames are exactly these bytes.
/// </summary>
internal sealed class BenchFrames
{
    public const int Width = 1280, Height = 720, Fps = 25;
    public const int FrameBytes = Width * Height * 3;
    private const byte BackgroundGrey = 0x40;

    private BenchFrames(byte[] background, byte[] face)
    {
        Background = background;
        Face = face;
    }

    public byte[] Background { get; }
    public byte[] Face { get; }

    public static async Task<BenchFrames> MakeAsync(string photo, CancellationToken ct)
    {
        if (!File.Exists(photo)) throw new RouterException(ErrorCodes.NotFound, $"sample photo {photo} is missing: run ./router setup");
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-i", photo, "-vf",
            $"scale={Width}:{Height}:force_original_aspect_ratio=decrease,pad={Width}:{Height}:(ow-iw)/2:(oh-ih)/2:color=0x404040,setsar=1",
            "-frames:v", "1", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new RouterException(ErrorCodes.UnknownError, "could not start ffmpeg");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var face = new byte[FrameBytes];
        await process.StandardOutput.BaseStream.ReadExactlyAsync(face, ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new RouterException(ErrorCodes.UnknownError, $"ffmpeg could not make the frame of {photo}: {(await stderr).Trim()}");
        var background = new byte[FrameBytes];
        Array.Fill(background, BackgroundGrey);
        return new BenchFrames(background, face);
    }
}
