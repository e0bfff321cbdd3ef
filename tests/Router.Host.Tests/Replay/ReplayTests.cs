using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Models.Imaging;
using Router.Tests.Common;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Replay;

/// <summary>
/// The whole pipeline (real ffmpeg, real detector, tracker, best shot) over clips made from
/// the sample photos whose people are known by construction. sample1..3 hold 3 faces each,
/// all found by the detector at these sizes. The quality filter is off (0) so that every
/// track posts: a track = a person when tracking holds.
/// </summary>
public class ReplayTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    private static readonly CameraSettings Open = CameraSettings.Default with { FilterMinQuality = 0, FilterMinSize = 40 };

    private async Task<(ReplayResult Result, List<FaceEvent> Events)> ReplayAsync(string clip, CameraSettings settings)
    {
        var sink = new CollectingFaceEventSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var result = await VideoReplay.RunAsync(clip, "cam-test", settings, fixture.Analyzer, sink, NullLogger.Instance, cts.Token);
        return (result, sink.Events.ToList());
    }

    [Fact]
    public async Task Overall_still_photo_gives_one_event_per_person_with_photo_and_face0()
    {
        var clip = await TestVideos.StillAsync("sample1.jpg", 3);
        var (result, events) = await ReplayAsync(clip, Open with { Labels = new Dictionary<string, string> { ["zone"] = "door" } });
        Assert.Equal(15, result.Frames);
        Assert.Equal(SamplePhotos.FaceCounts["sample1.jpg"], events.Count);
        Assert.Equal(events.Count, events.Select(e => e.TrackId).Distinct().Count());
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        foreach (var e in events)
        {
            var r = e.Request;
            Assert.Equal("cam-test", r.CamId);
            Assert.Equal(BestShotTypes.Overall, r.BsType);
            Assert.Equal("door", r.Labels["zone"]);
            Assert.True(e.TrackEnded);
            Assert.Equal(0, r.DetectorParams.TrackStartFrame);
            Assert.Equal(70, r.DetectorParams.TrackEndFrame);
            Assert.InRange(r.BBox.Left, 0, TestVideos.Width);
            Assert.InRange(r.BBox.Right, r.BBox.Left + 40, TestVideos.Width);
            Assert.Equal(DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(r.DetectorParams.Frame / 25.0), r.Timestamp);
            Assert.Equal((TestVideos.Width, TestVideos.Height), JpegCodec.ReadSize(r.Photo.Span));
            Assert.Equal((112, 112), JpegCodec.ReadSize(r.Face0.Span));
        }
    }

    [Fact]
    public async Task Overall_pan_keeps_one_track_per_moving_person()
    {
        var clip = await TestVideos.PanAsync("sample3.jpg", 4);
        var (result, events) = await ReplayAsync(clip, Open);
        Assert.Equal(3, result.Tracks);
        Assert.Equal(3, events.Count);
        // Every track spans the whole clip: nobody was lost and re-found.
        Assert.All(events, e => Assert.Equal(0, e.Request.DetectorParams.TrackStartFrame));
        Assert.All(events, e => Assert.InRange(e.Request.DetectorParams.TrackEndFrame!.Value, 90, 99));
    }

    [Fact]
    public async Task A_cut_through_an_empty_segment_ends_the_first_people_and_starts_the_next()
    {
        // sample1 0..2 s, black 2..3.5 s, sample2 3.5..5.5 s.
        var clip = await TestVideos.CutAsync("sample1.jpg", "sample2.jpg", 2, 1.5);
        var (result, events) = await ReplayAsync(clip, Open);
        Assert.Equal(6, result.Tracks);
        Assert.Equal(6, events.Count);
        var first = events.Where(e => e.Request.DetectorParams.TrackStartFrame == 0).ToList();
        var second = events.Where(e => e.Request.DetectorParams.TrackStartFrame == 90).ToList();
        Assert.Equal(3, first.Count);
        Assert.Equal(3, second.Count);
        Assert.All(first, e => Assert.InRange(e.Request.DetectorParams.TrackEndFrame!.Value, 40, 49));
        Assert.All(second, e => Assert.True(e.TrackId > first.Max(f => f.TrackId)));
    }

    [Fact]
    public async Task Best_shot_of_a_zoom_in_is_a_late_large_frame()
    {
        var clip = await TestVideos.ZoomInAsync("sample3.jpg", 4);
        var (_, events) = await ReplayAsync(clip, Open);
        Assert.Equal(3, events.Count);
        foreach (var e in events)
        {
            // Faces grow 1.6× over 100 frames; the best shot is in the later half, and large.
            Assert.InRange(e.Request.DetectorParams.Frame, 50, 99);
            Assert.True(e.Request.BBox.Width >= 140, $"best shot of track {e.TrackId} is {e.Request.BBox.Width} px wide");
        }
    }

    [Fact]
    public async Task Realtime_posts_the_best_of_every_interval_for_every_visible_track()
    {
        var clip = await TestVideos.StillAsync("sample2.jpg", 4);
        var (_, events) = await ReplayAsync(clip, Open with { BsType = BestShotTypes.Realtime, RealtimePostInterval = 1, RealtimePostEveryInterval = true });
        // 3 people × intervals [0,1) [1,2) [2,3) [3,4).
        Assert.Equal(12, events.Count);
        foreach (var track in events.GroupBy(e => e.TrackId))
        {
            var frames = track.Select(e => e.Request.DetectorParams.Frame).ToArray();
            Assert.Equal(4, frames.Length);
            for (int i = 0; i < 4; i++) Assert.InRange(frames[i], i * 25, i * 25 + 24);
            Assert.Equal(new[] { false, false, false, true }, track.Select(e => e.TrackEnded).ToArray());
        }
        Assert.All(events, e => Assert.Equal(BestShotTypes.Realtime, e.Request.BsType));
    }

    [Fact]
    public async Task Two_replays_give_identical_events()
    {
        var clip = await TestVideos.CutAsync("sample1.jpg", "sample2.jpg", 2, 1.5);
        var (_, a) = await ReplayAsync(clip, Open with { BsType = BestShotTypes.Realtime });
        var (_, b) = await ReplayAsync(clip, Open with { BsType = BestShotTypes.Realtime });
        Assert.NotEmpty(a);
        Assert.Equal(a.Select(JsonLinesFaceEventSink.ToJson), b.Select(JsonLinesFaceEventSink.ToJson));
        Assert.Equal(a.Select(e => e.Request.Photo.ToArray()), b.Select(e => e.Request.Photo.ToArray()));
    }

    [Fact]
    public async Task The_quality_filter_holds_back_poor_faces_and_counts_them()
    {
        var clip = await TestVideos.StillAsync("sample2.jpg", 2);
        var (all, allEvents) = await ReplayAsync(clip, Open);
        var (strict, strictEvents) = await ReplayAsync(clip, Open with { FilterMinQuality = 0.99 });
        Assert.Equal(3, allEvents.Count);
        Assert.True(strictEvents.Count < allEvents.Count);
        Assert.All(strictEvents, e => Assert.True(e.Request.DetectorParams.Quality >= 0.99));
        Assert.Equal(allEvents.Count - strictEvents.Count, strict.Statistics.FacesNotPosted);
    }

    [Fact]
    public async Task The_replay_command_writes_json_lines_photos_and_a_summary()
    {
        var clip = await TestVideos.StillAsync("sample1.jpg", 3);
        var dir = Directory.CreateTempSubdirectory("router-replay-");
        try
        {
            var outFile = Path.Combine(dir.FullName, "events.jsonl");
            var photos = Path.Combine(dir.FullName, "photos");
            var root = new System.CommandLine.RootCommand();
            foreach (var c in Router.Host.Cli.CliCommands.All()) root.Subcommands.Add(c);
            var rc = await root.Parse(["replay", clip, "--min-quality", "0", "--out", outFile, "--photos", photos]).InvokeAsync();
            Assert.Equal(0, rc);
            var lines = await File.ReadAllLinesAsync(outFile);
            Assert.Equal(4, lines.Length);
            using var first = System.Text.Json.JsonDocument.Parse(lines[0]);
            foreach (var name in new[] { "event_id", "cam_id", "track_id", "bs_type", "frame", "timestamp", "bbox", "detection_score", "quality" })
                Assert.True(first.RootElement.TryGetProperty(name, out _), name);
            using var summary = System.Text.Json.JsonDocument.Parse(lines[^1]);
            Assert.Equal(3, summary.RootElement.GetProperty("summary").GetProperty("events").GetInt32());
            Assert.Equal(6, Directory.GetFiles(photos, "*.jpg").Length);
        }
        finally { dir.Delete(recursive: true); }
    }
}
