using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Router.Abstractions;

namespace Router.Bench;

/// <summary>
/// A local RTSP camera for the latency benchmark: GStreamer's RTSP server on 127.0.0.1 (rtsp_relay.py),
/// relaying the RTP of an ffmpeg publisher that encodes raw frames written by this process to its stdin at 25 fps (x264 ultrafast,
/// zerolatency, as a camera's encoder works: no look-ahead, no B-frames). The frames alternate the
/// background for <c>off</c> frames and the face photo for <c>on</c> frames; the Stopwatch time at
/// which the first face frame of each appearance is handed to the encoder is recorded. That time is
/// the "capture" of the appearance: everything after it (encoding, RTSP, Router's ffmpeg, Router) is
/// in the measured latency, and it is on the same clock as everything Router records.
/// </summary>
internal sealed class RtspBenchCamera : IAsyncDisposable
{
    private readonly BenchFrames _frames;
    private readonly int _on, _off;
    private readonly List<long> _appearances = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Process? _server, _publisher;
    private Thread? _feeding;
    private string? _script;

    public RtspBenchCamera(BenchFrames frames, int onFrames, int offFrames)
    {
        _frames = frames;
        _on = onFrames;
        _off = offFrames;
    }

    public int Port { get; } = FreeTcpPort();
    private int RtpPort { get; } = FreeUdpPort();
    /// <summary>Where Router plays the camera from (TCP or UDP).</summary>
    public string PlayUrl => $"rtsp://127.0.0.1:{Port}/bench";
    /// <summary>Stopwatch ticks at which each appearance's first face frame went to the encoder, in order.</summary>
    public IReadOnlyList<long> Appearances { get { lock (_lock) return _appearances.ToArray(); } }

    public async Task StartAsync(CancellationToken ct)
    {
        var script = Path.Combine(Path.GetTempPath(), $"router-bench-rtsp-relay-{Environment.ProcessId}.py");
        await using (var resource = typeof(RtspBenchCamera).Assembly.GetManifestResourceStream("Router.Bench.rtsp_relay.py")!)
        await using (var file = File.Create(script))
            await resource.CopyToAsync(file, ct);
        _script = script;
        _server = Start("/usr/bin/python3", script, Port.ToString(CultureInfo.InvariantCulture), RtpPort.ToString(CultureInfo.InvariantCulture));
        var ready = await _server.StandardOutput.ReadLineAsync(ct);
        if (ready != "READY")
            throw new RouterException(ErrorCodes.UnknownError, $"the benchmark's RTSP server did not start ({ready}; {await _server.StandardError.ReadToEndAsync(ct)}): " +
                "it needs python3-gi and GStreamer's RTSP server (gir1.2-gst-rtsp-server-1.0): run ./router setup");
        _ = Drain(_server.StandardOutput);
        _ = Drain(_server.StandardError);
        var fps = BenchFrames.Fps.ToString(CultureInfo.InvariantCulture);
        _publisher = Start("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "bgr24",
            "-s", $"{BenchFrames.Width}x{BenchFrames.Height}", "-r", fps, "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", (BenchFrames.Fps * 2).ToString(CultureInfo.InvariantCulture),
            "-bf", "0", "-x264-params", "repeat-headers=1", "-pix_fmt", "yuv420p",
            "-f", "rtp", $"rtp://127.0.0.1:{RtpPort}?pkt_size=1316");
        _ = Drain(_publisher.StandardOutput);
        _ = Drain(_publisher.StandardError);
        var publisher = _publisher;
        _feeding = new Thread(() => Feed(publisher, _stop.Token)) { IsBackground = true, Name = "bench camera", Priority = ThreadPriority.AboveNormal };
        _feeding.Start();
        await Task.Delay(1000, ct);
        if (_publisher.HasExited) throw new RouterException(ErrorCodes.UnknownError, "the benchmark's RTSP publisher (ffmpeg) exited");
    }

    /// <summary>
    /// Writes frames at 25 fps of the Stopwatch (not by sleeping a frame's time each, which would drift), on
    /// a thread of its own with blocking writes: on the thread pool, shared with the router in this process,
    /// a write could start late after its time was taken, which would add the benchmark's own delay to the figures.
    /// </summary>
    private void Feed(Process publisher, CancellationToken ct)
    {
        var stdin = publisher.StandardInput.BaseStream;
        long start = Stopwatch.GetTimestamp();
        long frameTicks = Stopwatch.Frequency / BenchFrames.Fps;
        int period = _on + _off;
        try
        {
            for (long n = 0; !ct.IsCancellationRequested; n++)
            {
                var due = start + n * frameTicks;
                while (Stopwatch.GetTimestamp() < due)
                {
                    var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (left > TimeSpan.FromMilliseconds(2)) Thread.Sleep(left - TimeSpan.FromMilliseconds(1));
                    else Thread.SpinWait(100);
                }
                int phase = (int)(n % period);
                bool face = phase >= _off;
                if (phase == _off)
                    lock (_lock) _appearances.Add(Stopwatch.GetTimestamp());
                stdin.Write(face ? _frames.Face : _frames.Background);
                stdin.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    private static Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new RouterException(ErrorCodes.UnknownError, $"could not start {file}");
    }

    private static async Task Drain(StreamReader reader)
    {
        try { while (await reader.ReadLineAsync() != null) { } } catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    private static int FreeTcpPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static int FreeUdpPort()
    {
        using var u = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)u.Client.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var p in new[] { _publisher, _server })
        {
            if (p is null) continue;
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        _feeding?.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
        if (_script is not null) File.Delete(_script);
    }
}
