using System.Diagnostics;

namespace Router.Tests.Common.Video;

/// <summary>Runs ffmpeg to completion for test set-up; a failure throws with ffmpeg's own message.</summary>
public static class Ffmpeg
{
    public static async Task RunAsync(IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ffmpeg");
        using var cts = new CancellationTokenSource(timeout);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ffmpeg {string.Join(' ', args)} took longer than {timeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed ({process.ExitCode}): {(await stderr).Trim()}");
        await stdout;
    }
}
