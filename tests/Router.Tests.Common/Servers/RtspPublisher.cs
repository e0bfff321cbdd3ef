using System.Diagnostics;

namespace Router.Tests.Common.Servers;

/// <summary>ffmpeg publishing a clip in a loop, in real time, to an RTSP server (rtsp-server-perl's source port).</summary>
public sealed class RtspPublisher(string clip, string publishUrl) : RtspServerProcess
{
    protected override ProcessStartInfo StartInfo() => new("ffmpeg")
    {
        ArgumentList = { "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", clip, "-c", "copy", "-f", "rtsp", publishUrl },
    };

    // ffmpeg says nothing when publishing works; give it a moment and check it is still alive.
    protected override async Task WaitReadyAsync(Process process, CancellationToken ct)
    {
        await Task.Delay(700, ct);
        if (process.HasExited) throw new InvalidOperationException($"publisher exited: {await process.StandardError.ReadToEndAsync(ct)}");
    }
}
