using System.Diagnostics;

namespace Router.Tests.Common.Servers;

/// <summary>
/// rtsp-server-perl: clients play from rtsp://127.0.0.1:ClientPort/NAME over UDP only; a
/// publisher (<see cref="ClipPublisher"/>) pushes to rtsp://127.0.0.1:SourcePort/NAME.
/// </summary>
public sealed class RtspPerlServer : RtspServerProcess
{
    public int ClientPort { get; } = FreeTcpPort();
    public int SourcePort { get; } = FreeTcpPort();
    /// <summary>
    /// First of the UDP ports the server hands out for RTP/RTCP (two a stream). Its default is a
    /// fixed 20000, so two servers of parallel tests would collide: each gets a free block.
    /// </summary>
    public int RtpStartPort { get; } = FreePort.UdpBlock(RtpPorts);
    private const int RtpPorts = 32;
    public string PlayUrl(string name) => $"rtsp://127.0.0.1:{ClientPort}/{name}";
    public string PublishUrl(string name) => $"rtsp://127.0.0.1:{SourcePort}/{name}";

    // The server is started through perl rather than its rtsp-server-perl script so that the package
    // default $RTSP::Server::RTP_START_PORT can be set too: its housekeeping resets the RTP start
    // port to that default (a fixed 20000) whenever it has no mount, i.e. before the publisher comes,
    // which would undo --rtp_start_port and make the servers of parallel tests collide (RECORD 404).
    private const string ServerScript =
        "use AnyEvent; use RTSP::Server; $RTSP::Server::RTP_START_PORT = shift @ARGV; " +
        "my $srv = RTSP::Server->new_with_options(); $srv->listen; AnyEvent->condvar->recv;";

    protected override ProcessStartInfo StartInfo() => new("perl")
    {
        ArgumentList = { "-e", ServerScript, RtpStartPort.ToString(),
            "--clientport", ClientPort.ToString(), "--serverport", SourcePort.ToString(),
            "--client_listen_address", "127.0.0.1", "--source_listen_address", "127.0.0.1",
            "--rtp_start_port", RtpStartPort.ToString() },
    };

    protected override async Task WaitReadyAsync(Process process, CancellationToken ct)
    {
        _ = DrainStdoutAsync(process);
        await WaitForPortAsync(SourcePort, process, ct);
        await WaitForPortAsync(ClientPort, process, ct);
    }

    private static async Task DrainStdoutAsync(Process process)
    {
        try { while (await process.StandardOutput.ReadLineAsync() != null) { } } catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
    }
}
