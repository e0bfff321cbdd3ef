using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Router.Models.Imaging;

namespace Router.Host.Ingest;

/// <summary>
/// One run of ffmpeg for one camera: starts the process, pairs each showinfo record on
/// stderr with the next frame's bytes on stdout, reads the bytes straight into a pooled
/// <see cref="BgrImage"/>, and kills the process (tree) when no frame arrives in time or
/// when disposed. The rest of stderr goes to the log, rate-limited, and decoder complaints
/// are counted as decoding soft errors.
/// </summary>
public sealed class FfmpegFrameReader : IAsyncDisposable
{
    private const int LogLinesPerWindow = 20;
    private static readonly TimeSpan LogWindow = TimeSpan.FromSeconds(10);

    private readonly CameraDefinition _camera;
    private readonly CameraStatistics _stats;
    private readonly ILogger _logger;
    private readonly int _run;
    private readonly Process _process;
    private readonly Channel<FrameInfo> _infos = Channel.CreateUnbounded<FrameInfo>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _watchdog = new();
    private readonly Task _stderrTask;
    private readonly Stream _stdout;
    private readonly long _startTicks = Stopwatch.GetTimestamp();
    private readonly string[] _lastLines = new string[4];
    private int _lastLineCount;
    private double _sourceFps = double.NaN;
    private double _firstPts = double.NaN;
    private long _framesRead;
    private bool _inOutputSection;
    private int _killed;
    private long _logWindowStart = Environment.TickCount64;
    private int _logLinesInWindow, _logLinesSuppressed;

    private readonly CancellationToken _stop;
    private readonly CancellationTokenRegistration _stopRegistration;
    private bool _ended;

    private FfmpegFrameReader(CameraDefinition camera, int run, CameraStatistics stats, ILogger logger, Process process, CancellationToken stop)
    {
        _stop = stop;
        // One registration for the whole run instead of a linked token per frame.
        _stopRegistration = stop.Register(static w => ((CancellationTokenSource)w!).Cancel(), _watchdog);
        _camera = camera;
        _run = run;
        _stats = stats;
        _logger = logger;
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        _stderrTask = Task.Run(ReadStderrAsync, CancellationToken.None); // reads until ffmpeg exits, whatever stops the camera
    }

    /// <summary>Starts ffmpeg; a missing ffmpeg binary is an <see cref="IOException"/> with a clear message.</summary>
    public static FfmpegFrameReader Start(CameraDefinition camera, int run, CameraStatistics stats, ILogger logger, CancellationToken stop)
    {
        var psi = new ProcessStartInfo(FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in FfmpegArguments.Build(camera.Url, camera.Settings)) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new IOException($"cannot start ffmpeg ({FfmpegPath}): {e.Message}", e);
        }
        return new FfmpegFrameReader(camera, run, stats, logger, process, stop);
    }

    /// <summary>The ffmpeg executable: ROUTER_FFMPEG or "ffmpeg" on PATH.</summary>
    public static string FfmpegPath => Environment.GetEnvironmentVariable("ROUTER_FFMPEG") is { Length: > 0 } p ? p : "ffmpeg";

    public long FramesRead => _framesRead;
    public bool TimedOut { get; private set; }
    /// <summary>ffmpeg's exit code once it has exited and this reader was disposed; null while unknown.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>The last lines ffmpeg wrote that were not frame reports: the reason it failed, usually.</summary>
    public string LastMessages()
    {
        lock (_lastLines)
        {
            var lines = new List<string>();
            for (int i = Math.Max(0, _lastLineCount - _lastLines.Length); i < _lastLineCount; i++)
                lines.Add(_lastLines[i % _lastLines.Length]);
            return string.Join(" | ", lines);
        }
    }

    /// <summary>
    /// The next frame, or null when the stream ended (ffmpeg exited) or stalled (no frame within
    /// the first-frame or stall time-out, in which case ffmpeg is killed and <see cref="TimedOut"/> set).
    /// </summary>
    public async ValueTask<VideoFrame?> ReadFrameAsync()
    {
        var s = _camera.Settings;
        // Re-arming one CancellationTokenSource per frame: no allocation per frame.
        _watchdog.CancelAfter(TimeSpan.FromSeconds(_framesRead == 0 ? Math.Max(s.FirstFrameTimeout, s.StallTimeout) : s.StallTimeout));
        FrameInfo info;
        BgrImage? image = null;
        try
        {
            if (!await _infos.Reader.WaitToReadAsync(_watchdog.Token) || !_infos.Reader.TryRead(out info))
            {
                _ended = true;
                return null;
            }
            image = BgrImage.Rent(info.Width, info.Height);
            await _stdout.ReadExactlyAsync(image.Memory, _watchdog.Token);
        }
        catch (OperationCanceledException)
        {
            image?.Dispose();
            Kill();
            _stop.ThrowIfCancellationRequested();
            TimedOut = true;
            return null;
        }
        catch (EndOfStreamException)
        {
            image?.Dispose();
            _ended = true;
            return null;
        }
        catch
        {
            image?.Dispose();
            throw;
        }

        var received = Stopwatch.GetTimestamp();
        bool hasPts = !double.IsNaN(info.PtsTime);
        if (hasPts && double.IsNaN(_firstPts)) _firstPts = info.PtsTime;
        var streamTime = hasPts ? TimeSpan.FromSeconds(info.PtsTime - _firstPts) : Stopwatch.GetElapsedTime(_startTicks, received);
        long number = hasPts && !double.IsNaN(_sourceFps) ? (long)Math.Round(streamTime.TotalSeconds * _sourceFps) : _framesRead;
        var timestamp = s.UseStreamTimestamp
            ? DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(s.StartStreamTimestamp) + streamTime
            : DateTimeOffset.UtcNow;
        _framesRead++;
        _stats.SetFrameSize(info.Width, info.Height);
        return new VideoFrame(image, _run, number, streamTime, timestamp, received);
    }

    private async Task ReadStderrAsync()
    {
        var reader = _process.StandardError;
        try
        {
            while (await reader.ReadLineAsync() is { } line)
                HandleLine(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was killed under us.
        }
        finally
        {
            _infos.Writer.TryComplete();
        }
    }

    private void HandleLine(string line)
    {
        var span = line.AsSpan();
        if (span.StartsWith("[Parsed_showinfo"))
        {
            if (TryParseFrameInfo(span, out var info)) _infos.Writer.TryWrite(info);
            return;
        }
        if (span.StartsWith("Output #")) _inOutputSection = true;
        else if (!_inOutputSection && double.IsNaN(_sourceFps) && span.Contains(": Video:", StringComparison.Ordinal))
            _sourceFps = ParseFps(span);

        if (span.IsWhiteSpace()) return;
        lock (_lastLines) _lastLines[_lastLineCount++ % _lastLines.Length] = line;

        bool complaint = IsDecoderComplaint(span);
        if (complaint && _framesRead > 0) _stats.DecodingSoftError();
        Log(complaint ? LogLevel.Warning : LogLevel.Debug, line);
    }

    private static bool IsDecoderComplaint(ReadOnlySpan<char> line) =>
        line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("concealing", StringComparison.OrdinalIgnoreCase)
        || line.Contains("corrupt", StringComparison.OrdinalIgnoreCase) || line.Contains("invalid", StringComparison.OrdinalIgnoreCase)
        || line.Contains("missing", StringComparison.OrdinalIgnoreCase) || line.Contains("Failed", StringComparison.Ordinal);

    private void Log(LogLevel level, string line)
    {
        if (!_logger.IsEnabled(level)) return;
        var now = Environment.TickCount64;
        if (now - _logWindowStart > (long)LogWindow.TotalMilliseconds)
        {
            if (_logLinesSuppressed > 0)
                _logger.LogWarning("camera {CamId}: {Count} ffmpeg lines suppressed in the last {Seconds} s", _camera.Id, _logLinesSuppressed, LogWindow.TotalSeconds);
            _logWindowStart = now;
            _logLinesInWindow = 0;
            _logLinesSuppressed = 0;
        }
        if (++_logLinesInWindow > LogLinesPerWindow) { _logLinesSuppressed++; return; }
        _logger.Log(level, "camera {CamId} ffmpeg: {Line}", _camera.Id, line);
    }

    /// <summary>Parses "... pts_time:0.2 ... s:1280x720 ..." of a showinfo frame line.</summary>
    internal static bool TryParseFrameInfo(ReadOnlySpan<char> line, out FrameInfo info)
    {
        info = default;
        int n = line.IndexOf(" n:", StringComparison.Ordinal);
        if (n < 0) return false;
        double pts = double.NaN;
        int p = line.IndexOf("pts_time:", StringComparison.Ordinal);
        if (p >= 0)
        {
            var rest = line[(p + 9)..];
            int end = rest.IndexOf(' ');
            if (end < 0) end = rest.Length;
            if (!double.TryParse(rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out pts)) pts = double.NaN;
        }
        int sz = line.IndexOf(" s:", StringComparison.Ordinal);
        if (sz < 0) return false;
        var size = line[(sz + 3)..];
        int space = size.IndexOf(' ');
        if (space >= 0) size = size[..space];
        int x = size.IndexOf('x');
        if (x <= 0 || !int.TryParse(size[..x], CultureInfo.InvariantCulture, out var w) || !int.TryParse(size[(x + 1)..], CultureInfo.InvariantCulture, out var h))
            return false;
        info = new FrameInfo(w, h, pts);
        return true;
    }

    /// <summary>"..., 25 fps, 25 tbr, ..." of an input stream line; NaN when absent.</summary>
    internal static double ParseFps(ReadOnlySpan<char> line)
    {
        foreach (var unit in new[] { " fps", " tbr" })
        {
            int i = line.IndexOf(unit, StringComparison.Ordinal);
            if (i <= 0) continue;
            int start = line[..i].LastIndexOf(' ') + 1;
            if (double.TryParse(line[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var fps) && fps > 0) return fps;
        }
        return double.NaN;
    }

    /// <summary>Kills ffmpeg and anything it started; a stuck ffmpeg may ignore SIGTERM, so no polite attempt first.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) != 0) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A stream that ended exits by itself (and its exit code tells why); anything still running is killed.
        if (_ended && !_process.HasExited)
        {
            try { await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)); }
            catch (TimeoutException) { }
        }
        Kill();
        try { await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        try { await _stderrTask.WaitAsync(TimeSpan.FromSeconds(2)); } catch (TimeoutException) { }
        // Drain any leftover frame infos (none hold buffers) and release the process.
        try { if (_process.HasExited) ExitCode = _process.ExitCode; } catch (InvalidOperationException) { }
        _stopRegistration.Dispose();
        _watchdog.Dispose();
        _process.Dispose();
    }
}
