using System.Diagnostics;

namespace Router.Tests.Common.Servers;

/// <summary>
/// ffmpeg publishing a clip in a loop, in real time: over RTSP to rtsp-server-perl's source port
/// (<see cref="Rtsp"/>), or as plain H.264 RTP over UDP to a relay mount of <see cref="RtspGstServer"/>
/// (<see cref="Rtp"/>, at its <see cref="RtspGstServer.RelayInput"/>). Clips need in-band SPS/PPS
/// (x264 repeat-headers=1, as <c>TestVideos</c> makes them): nothing else tells a relay, or a client
/// joining mid-stream, how to decode them.
/// </summary>
public sealed class ClipPublisher : RtspServerProcess
{
    private readonly string _clip, _url, _format;

    private ClipPublisher(string clip, string url, string format)
    {
        _clip = clip;
        _url = url;
        _format = format;
    }

    public static ClipPublisher Rtsp(string clip, string publishUrl) => new(clip, publishUrl, "rtsp");
    public static ClipPublisher Rtp(string clip, string rtpUrl) => new(clip, rtpUrl, "rtp");

    protected override ProcessStartInfo StartInfo() => new("ffmpeg")
    {
        ArgumentList = { "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", _clip, "-c", "copy", "-f", _format, _url },
    };

    // ffmpeg says nothing on stderr while publishing works (the RTP muxer prints its SDP on stdout,
    // which is drained): give it a moment and check it is still alive.
    protected override async Task WaitReadyAsync(Process process, CancellationToken ct)
    {
        _ = DrainAsync(process.StandardOutput);
        await Task.Delay(700, ct);
        if (process.HasExited) throw new InvalidOperationException($"publisher exited: {await process.StandardError.ReadToEndAsync(ct)}");
    }
}
