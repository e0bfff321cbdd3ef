using Router.Models.Imaging;

namespace Router.Host.Ingest;

/// <summary>
/// One decoded frame in a pooled <see cref="BgrImage"/>. Reference counted because a frame
/// may be the current best shot of several tracks at once: each holder calls
/// <see cref="AddRef"/> and <see cref="Release"/>, and the pixels go back to the pool with
/// the last release, so a track keeps only its best frame alive, never every frame.
/// </summary>
public sealed class VideoFrame
{
    private int _refs = 1;

    public VideoFrame(BgrImage image, int run, long number, TimeSpan streamTime, DateTimeOffset timestamp, long receivedTicks)
    {
        Run = run;
        Image = image;
        Number = number;
        StreamTime = streamTime;
        Timestamp = timestamp;
        ReceivedTicks = receivedTicks;
    }

    public BgrImage Image { get; }
    /// <summary>Which ffmpeg run (1 = first start) produced the frame: a new run is a discontinuity, tracks end.</summary>
    public int Run { get; }
    /// <summary>0-based index among the stream's decoded frames (before decimation).</summary>
    public long Number { get; }
    /// <summary>Presentation time since the stream started (stream time when known, else time since ffmpeg started).</summary>
    public TimeSpan StreamTime { get; }
    /// <summary>The event timestamp: stream time plus start_stream_timestamp, or the wall clock when the frame arrived.</summary>
    public DateTimeOffset Timestamp { get; }
    /// <summary><see cref="System.Diagnostics.Stopwatch"/> ticks when the frame came off the pipe (frame-to-event latency).</summary>
    public long ReceivedTicks { get; }

    /// <summary>References held now (0: the pixels went back to the pool); for tests of who releases what.</summary>
    internal int References => Volatile.Read(ref _refs);

    public VideoFrame AddRef()
    {
        ObjectDisposedException.ThrowIf(Interlocked.Increment(ref _refs) <= 1, this);
        return this;
    }

    public void Release()
    {
        var left = Interlocked.Decrement(ref _refs);
        if (left == 0) Image.Dispose();
        else if (left < 0) throw new InvalidOperationException("VideoFrame released more times than referenced");
    }
}
