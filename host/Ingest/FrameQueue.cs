using System.Threading.Channels;

namespace Router.Host.Ingest;

/// <summary>
/// The bounded queue between a camera's ffmpeg reader and its detector. Live cameras drop
/// the oldest frame when the detector falls behind (the newest picture matters most) and
/// count it in frames_dropped; with disable_drops (replay) the reader waits instead, which
/// makes ffmpeg wait on its pipe.
/// </summary>
public static class FrameQueue
{
    public static Channel<VideoFrame> Create(CameraSettings settings, CameraStatistics stats)
    {
        var options = new BoundedChannelOptions(settings.FrameQueueSize)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = settings.DisableDrops ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
        };
        return Channel.CreateBounded<VideoFrame>(options, dropped =>
        {
            stats.FrameDropped();
            dropped.Release();
        });
    }

    /// <summary>Releases frames left in a queue that nobody will read any more.</summary>
    public static void Drain(ChannelReader<VideoFrame> reader)
    {
        while (reader.TryRead(out var frame)) frame.Release();
    }
}
