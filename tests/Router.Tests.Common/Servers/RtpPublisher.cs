using System.Diagnostics;

namespace Router.Tests.Common.Servers;

/// <summary>
/// ffmpeg sending a clip in a loop, in real time, as plain H.264 RTP over UDP (no RTSP), to a relay
/// mount of <see cref="RtspGstServer"/> (its <see cref="RtspGstServer.RelayInput"/>). The clip needs
/// in-band SPS/PPS (x264 repeat-headers=1, as <c>TestVideos</c> makes them) because nothing else
/// tells the relay, or a client joining mid-stream, how to decode it.
/// </summary>
public sealed class RtpPublisher(string clip, string rtpUrl) : RtspServerProcess
{
    protected override ProcessStartInfo StartInfo() => new("ffmpeg")
    {
        ArgumentList = { "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", clip, "-c", "copy", "-f", "rtp", rtpUrl },
    };

    // ffmpeg prints the stream's SDP on stdout and then nothing while sending works: drain stdout,
    // give it a moment and check it is still alive.
    protected override async Task WaitReadyAsync(Process process, CancellationToken ct)
    {
        _ = DrainAsync(process.StandardOutput);
        await Task.Delay(700, ct);
        if (process.HasExited) throw new InvalidOperationException($"publisher exited: {await process.StandardError.ReadToEndAsync(ct)}");
    }
}
