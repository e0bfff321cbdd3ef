using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Host.Tests.Ingest;
using Router.Host.Tests.Replay;
using Router.Tests.Common.Servers;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Rtsp;

/// <summary>A dead camera retried for ever must not leak threads, memory or ffmpeg processes.</summary>
[Collection(ResourceMeasurementCollection.Name)]
public class RtspRetryResourceTests
{
    private static readonly CameraSettings Live = new()
    {
        StallTimeout = 2, FirstFrameTimeout = 5, RestartMinDelay = 0.05, RestartMaxDelay = 0.1, DetectFps = 5,
    };

    [Fact]
    public async Task A_camera_that_never_connects_keeps_retrying_with_bounded_threads_and_memory()
    {
        var url = $"rtsp://127.0.0.1:{RtspServerProcess.FreeTcpPort()}/nothing";
        await using var camera = new IngestHarness(url, Live);
        Assert.True(await IngestHarness.WaitForAsync(() => camera.Stats.JobStarts >= 3, TimeSpan.FromSeconds(10)));
        GC.Collect();
        var threads = Process.GetCurrentProcess().Threads.Count;
        var memory = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(await IngestHarness.WaitForAsync(() => camera.Stats.JobStarts >= 14, TimeSpan.FromSeconds(20)), $"only {camera.Stats.JobStarts} starts");
        var threadsAfter = Process.GetCurrentProcess().Threads.Count;
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(threadsAfter - threads <= 4, $"threads grew from {threads} to {threadsAfter} over 11 restarts");
        Assert.True(memoryAfter - memory < 8_000_000, $"managed memory grew by {memoryAfter - memory} bytes over 11 restarts");
        var stats = camera.Stats.Snapshot();
        Assert.Equal(0, stats.FramesDecoded);
        Assert.False(string.IsNullOrEmpty(stats.LastError));
        // No ffmpeg left behind but the current one.
        Assert.True(Process.GetProcessesByName("ffmpeg").Count(p => SafeArgs(p).Contains(url)) <= 1);
    }

    private static string SafeArgs(Process p)
    {
        try { return File.ReadAllText($"/proc/{p.Id}/cmdline"); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; }
    }

}
