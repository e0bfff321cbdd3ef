using System.Diagnostics;

namespace Router.Tests.Common.Servers;

/// <summary>GStreamer's RTSP server (TCP and UDP) with a live test-pattern mount at rtsp://127.0.0.1:PORT/cam.</summary>
public sealed class RtspGstServer : RtspServerProcess
{
    public int Port { get; } = FreeTcpPort();
    public string Url => $"rtsp://127.0.0.1:{Port}/cam";
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Servers", "rtsp_gst_server.py");

    protected override ProcessStartInfo StartInfo() => new("/usr/bin/python3") { ArgumentList = { Script, Port.ToString() } };

    protected override Task WaitReadyAsync(Process process, CancellationToken ct) => WaitForLineAsync(process.StandardOutput, "READY", ct);
}
