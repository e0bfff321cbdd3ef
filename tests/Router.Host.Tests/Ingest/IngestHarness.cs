using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Host.Ingest;

namespace Router.Host.Tests.Ingest;

/// <summary>Runs a real <see cref="CameraIngest"/> (real ffmpeg) into its real frame queue and lets a test read the frames.</summary>
internal sealed class IngestHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public IngestHarness(string url, CameraSettings settings)
    {
        Camera = new CameraDefinition { Id = "test", Url = url, Settings = settings.Validated() };
        Queue = FrameQueue.Create(Camera.Settings, Stats);
        Task = new CameraIngest(Camera, Stats, NullLogger.Instance).RunAsync(Queue.Writer, _stop.Token);
    }

    public CameraDefinition Camera { get; }
    public CameraStatistics Stats { get; } = new();
    public Channel<VideoFrame> Queue { get; }
    public Task Task { get; }

    /// <summary>All frames until the stream completes (single pass), with their number, time and size; pixels released.</summary>
    public async Task<List<(long Number, double Time, int Width, int Height, int Run)>> ReadAllAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var frames = new List<(long, double, int, int, int)>();
        await foreach (var f in Queue.Reader.ReadAllAsync(cts.Token))
        {
            frames.Add((f.Number, f.StreamTime.TotalSeconds, f.Image.Width, f.Image.Height, f.Run));
            f.Release();
        }
        return frames;
    }

    /// <summary>Reads frames until <paramref name="until"/> holds or the time-out passes; true when it held.</summary>
    public async Task<bool> ReadUntilAsync(Func<VideoFrame, bool> until, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var f in Queue.Reader.ReadAllAsync(cts.Token))
            {
                bool done = until(f);
                f.Release();
                if (done) return true;
            }
        }
        catch (OperationCanceledException) { }
        return false;
    }

    public static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (condition()) return true;
            await System.Threading.Tasks.Task.Delay(50);
        }
        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WaitAsync(TimeSpan.FromSeconds(10));
        FrameQueue.Drain(Queue.Reader);
        _stop.Dispose();
    }
}
