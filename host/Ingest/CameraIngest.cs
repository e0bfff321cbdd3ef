using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Router.Host.Ingest;

/// <summary>
/// The ingest loop of one camera: runs ffmpeg, pushes its frames into the camera's frame
/// queue, and when the stream ends, fails or stalls, restarts it after an exponential
/// back-off, for ever (or once, for single_pass). Failures land on the camera status
/// (state, last_error, job_starts) instead of escaping: a bad URL never crashes the host.
/// </summary>
public sealed class CameraIngest
{
    private readonly CameraDefinition _camera;
    private readonly CameraStatistics _stats;
    private readonly ILogger _logger;

    public CameraIngest(CameraDefinition camera, CameraStatistics stats, ILogger logger)
    {
        _camera = camera;
        _stats = stats;
        _logger = logger;
    }

    /// <summary>Runs until cancelled (or the single pass ends), then completes <paramref name="frames"/>.</summary>
    public async Task RunAsync(ChannelWriter<VideoFrame> frames, CancellationToken ct)
    {
        var s = _camera.Settings;
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(s.RestartMinDelay), TimeSpan.FromSeconds(s.RestartMaxDelay));
        int run = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                run++;
                _stats.JobStarted();
                _stats.SetState(CameraState.Starting);
                var (framesRead, error) = await RunOnceAsync(run, frames, ct);
                if (ct.IsCancellationRequested) break;
                if (error != null)
                {
                    _stats.SetError(error);
                    _logger.LogWarning("camera {CamId}: {Error}", _camera.Id, error);
                }
                if (s.SinglePass)
                {
                    _stats.SetState(CameraState.Finished);
                    break;
                }
                if (framesRead > 0) backoff.Reset();
                var delay = backoff.Next();
                _stats.SetState(CameraState.Restarting);
                _logger.LogInformation("camera {CamId}: restarting in {Delay} s (start {Run})", _camera.Id, delay.TotalSeconds, run + 1);
                await Task.Delay(delay, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (ct.IsCancellationRequested) _stats.SetState(CameraState.Stopped);
            frames.TryComplete();
        }
    }

    /// <summary>One ffmpeg run: how many frames it gave and, when it ended badly, why.</summary>
    private async Task<(long Frames, string? Error)> RunOnceAsync(int run, ChannelWriter<VideoFrame> frames, CancellationToken ct)
    {
        FfmpegFrameReader reader;
        try
        {
            reader = FfmpegFrameReader.Start(_camera, run, _stats, _logger, ct);
        }
        catch (IOException e)
        {
            return (0, e.Message);
        }
        await using (reader)
        {
            try
            {
                while (await reader.ReadFrameAsync() is { } frame)
                {
                    if (reader.FramesRead == 1)
                    {
                        _stats.SetState(CameraState.Streaming);
                        _logger.LogInformation("camera {CamId}: streaming {Width}x{Height} (start {Run})", _camera.Id, frame.Image.Width, frame.Image.Height, run);
                    }
                    _stats.FrameDecoded();
                    try
                    {
                        await frames.WriteAsync(frame, ct);
                    }
                    catch
                    {
                        frame.Release();
                        throw;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return (reader.FramesRead, null);
            }
            catch (ChannelClosedException)
            {
                return (reader.FramesRead, null);
            }
            if (reader.TimedOut)
                return (reader.FramesRead, reader.FramesRead == 0
                    ? $"no frame within {Math.Max(_camera.Settings.FirstFrameTimeout, _camera.Settings.StallTimeout)} s of starting ffmpeg: {reader.LastMessages()}"
                    : $"stream stalled: no frame for {_camera.Settings.StallTimeout} s");
        }
        var exit = reader.ExitCode;
        if (exit is 0 && reader.FramesRead > 0)
            // A file that ends is normal; a live stream that ends means the source went away.
            return (reader.FramesRead, FfmpegArguments.IsNetwork(_camera.Url) ? $"stream ended after {reader.FramesRead} frames" : null);
        return (reader.FramesRead, $"ffmpeg exited with code {exit?.ToString() ?? "?"} after {reader.FramesRead} frames: {reader.LastMessages()}");
    }
}
