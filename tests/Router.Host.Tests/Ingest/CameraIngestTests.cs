using System.Diagnostics;
using Router.Host.Ingest;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Ingest;

public class CameraIngestTests
{
    private static readonly CameraSettings Replay = new() { SinglePass = true, DisableDrops = true, UseStreamTimestamp = true };

    [Fact]
    public async Task A_file_is_decimated_to_detect_fps_with_stream_frame_numbers_and_times()
    {
        var clip = await TestVideos.TestPatternAsync(2);
        await using var ingest = new IngestHarness(clip, Replay with { DetectFps = 5 });
        var frames = await ingest.ReadAllAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i * 5).ToArray(), frames.Select(f => f.Number).ToArray());
        Assert.All(frames, f => Assert.Equal((320, 240), (f.Width, f.Height)));
        for (int i = 0; i < frames.Count; i++) Assert.Equal(i * 0.2, frames[i].Time, 3);
        await ingest.Task;
        var stats = ingest.Stats.Snapshot();
        Assert.Equal(CameraState.Finished, stats.State);
        Assert.Equal(1, stats.JobStarts);
        Assert.Equal(10, stats.FramesDecoded);
        Assert.Equal(0, stats.FramesDropped);
        Assert.Null(stats.LastError);
    }

    [Fact]
    public async Task Detect_fps_zero_gives_every_frame_and_max_frame_width_scales()
    {
        var clip = await TestVideos.TestPatternAsync(2);
        await using var ingest = new IngestHarness(clip, Replay with { DetectFps = 0, MaxFrameWidth = 160 });
        var frames = await ingest.ReadAllAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(50, frames.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i).ToArray(), frames.Select(f => f.Number).ToArray());
        Assert.All(frames, f => Assert.Equal((160, 120), (f.Width, f.Height)));
    }

    [Fact]
    public async Task Frames_carry_the_decoded_pixels()
    {
        var clip = await TestVideos.TestPatternAsync(1);
        await using var ingest = new IngestHarness(clip, Replay with { DetectFps = 1 });
        var sums = new List<long>();
        await ingest.ReadUntilAsync(f =>
        {
            long sum = 0;
            foreach (var b in f.Image.Pixels) sum += b;
            sums.Add(sum);
            return false;
        }, TimeSpan.FromSeconds(30));
        var mean = Assert.Single(sums) / (320.0 * 240 * 3);
        // testsrc2 is a colourful pattern: neither black nor white.
        Assert.InRange(mean, 30, 220);
    }

    [Fact]
    public async Task A_slow_reader_makes_live_cameras_drop_the_oldest_frames_and_count_them()
    {
        var clip = await TestVideos.TestPatternAsync(2);
        await using var ingest = new IngestHarness(clip, new CameraSettings { SinglePass = true, DetectFps = 0, FrameQueueSize = 2 });
        await ingest.Task.WaitAsync(TimeSpan.FromSeconds(30)); // nobody reads until ffmpeg is done
        var frames = await ingest.ReadAllAsync(TimeSpan.FromSeconds(5));
        var stats = ingest.Stats.Snapshot();
        Assert.Equal(50, stats.FramesDecoded);
        Assert.Equal(48, stats.FramesDropped);
        // The newest frames survive.
        Assert.Equal(new long[] { 48, 49 }, frames.Select(f => f.Number).ToArray());
    }

    [Fact]
    public async Task A_missing_file_is_reported_on_the_status_and_retried_with_backoff()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.mp4");
        await using var ingest = new IngestHarness(missing, new CameraSettings { RestartMinDelay = 0.1, RestartMaxDelay = 0.4 });
        Assert.True(await IngestHarness.WaitForAsync(() => ingest.Stats.JobStarts >= 4, TimeSpan.FromSeconds(15)));
        var stats = ingest.Stats.Snapshot();
        Assert.Contains("No such file", stats.LastError);
        Assert.Contains(stats.State, new[] { CameraState.Restarting, CameraState.Starting });
        Assert.Equal(0, stats.FramesDecoded);
    }

    [Fact]
    public async Task A_single_pass_bad_file_finishes_with_the_error()
    {
        var notVideo = Path.GetTempFileName();
        await File.WriteAllTextAsync(notVideo, "this is not a video");
        try
        {
            await using var ingest = new IngestHarness(notVideo, Replay);
            var frames = await ingest.ReadAllAsync(TimeSpan.FromSeconds(30));
            Assert.Empty(frames);
            var stats = ingest.Stats.Snapshot();
            Assert.Equal(CameraState.Finished, stats.State);
            Assert.Contains("ffmpeg exited with code", stats.LastError);
        }
        finally { File.Delete(notVideo); }
    }

    [Fact]
    public async Task A_file_that_ends_is_restarted_when_not_single_pass()
    {
        var clip = await TestVideos.TestPatternAsync(1);
        await using var ingest = new IngestHarness(clip, new CameraSettings { DetectFps = 5, RestartMinDelay = 0.05, DisableDrops = true });
        var runs = new HashSet<int>();
        Assert.True(await ingest.ReadUntilAsync(f => { runs.Add(f.Run); return runs.Count >= 3; }, TimeSpan.FromSeconds(30)));
        Assert.True(ingest.Stats.JobStarts >= 3);
    }

    [Fact]
    public async Task Real_time_play_speed_paces_a_file()
    {
        var clip = await TestVideos.TestPatternAsync(2);
        var watch = Stopwatch.StartNew();
        await using var ingest = new IngestHarness(clip, Replay with { PlaySpeed = 1 });
        var frames = await ingest.ReadAllAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, frames.Count);
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.6, 10);
    }
}
