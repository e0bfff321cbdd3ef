using System.Diagnostics;

namespace Router.Tests.Common.Servers;

/// <summary>
/// GStreamer's RTSP server (TCP and UDP, as real cameras serve) on 127.0.0.1: a live test-pattern
/// mount at <see cref="Url"/> (rtsp://127.0.0.1:PORT/cam), and one relay mount per name given,
/// at <see cref="MountUrl"/>, that serves whatever H.264 RTP an <see cref="ClipPublisher"/> sends to
/// <see cref="RelayInput"/>: a real clip (faces) over TCP. Restarting the server keeps its ports,
/// so a publisher left running feeds the restarted server too.
/// </summary>
public sealed class RtspGstServer(params string[] relays) : RtspServerProcess
{
    // Two UDP ports a relay: RTP on the even one, and the publisher's RTCP lands on the next.
    private readonly Dictionary<string, int> _relayPorts = relays.ToDictionary(name => name, _ => FreePort.UdpBlock(2));

    public int Port { get; } = FreeTcpPort();
    public string Url => MountUrl("cam");
    public string MountUrl(string name) => $"rtsp://127.0.0.1:{Port}/{name}";
    /// <summary>Where a publisher sends the relay <paramref name="name"/>'s RTP.</summary>
    public string RelayInput(string name) => $"rtp://127.0.0.1:{_relayPorts[name]}";
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Servers", "rtsp_gst_server.py");

    protected override ProcessStartInfo StartInfo()
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { Script, Port.ToString() } };
        foreach (var (name, udpPort) in _relayPorts) psi.ArgumentList.Add($"{name}={udpPort}");
        return psi;
    }

    protected override Task WaitReadyAsync(Process process, CancellationToken ct) => WaitForLineAsync(process.StandardOutput, "READY", ct);
}
