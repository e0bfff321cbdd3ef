using System.Diagnostics;

namespace Router.Tests.Common.Servers;

/// <summary>
/// rtsp-server-perl: clients play from rtsp://127.0.0.1:ClientPort/NAME over UDP only; a
/// publisher (<see cref="RtspPublisher"/>) pushes to rtsp://127.0.0.1:SourcePort/NAME.
/// </summary>
public sealed class RtspPerlServer : RtspServerProcess
{
    public int ClientPort { get; } = FreeTcpPort();
    public int SourcePort { get; } = FreeTcpPort();
    public string PlayUrl(string name) => $"rtsp://127.0.0.1:{ClientPort}/{name}";
    public string PublishUrl(string name) => $"rtsp://127.0.0.1:{SourcePort}/{name}";

    protected override ProcessStartInfo StartInfo() => new("rtsp-server-perl")
    {
        ArgumentList = { "--clientport", ClientPort.ToString(), "--serverport", SourcePort.ToString(), "--client_listen_address", "127.0.0.1", "--source_listen_address", "127.0.0.1" },
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
