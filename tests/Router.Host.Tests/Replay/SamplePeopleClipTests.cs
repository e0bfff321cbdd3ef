using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Host.Demo;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Models;
using Router.Tests.Common;
using Xunit;
using Xunit.Abstractions;

namespace Router.Host.Tests.Replay;

/// <summary>
/// The demo clip (all six sample photos, 22 people, 1280×720 H.264, zooming in) replayed at the
/// default camera settings: every one of the 22 people must be posted. Who an event shows is
/// decided by recognition against the 22 faces of the photos themselves.
/// </summary>
public sealed class SamplePeopleClipTests(AnalyzerFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyzerFixture>
{
    [Fact]
    public async Task Every_person_of_the_sample_photos_is_posted_at_the_default_settings()
    {
        var dir = Directory.CreateTempSubdirectory("router-22-").FullName;
        try
        {
            var clip = await DemoVideo.EnsureAsync(AssetLocator.PhotosDirectory, Path.Combine(dir, "demo.mp4"), 3, CancellationToken.None);
            var people = new List<(string Photo, float[] Embedding)>();
            foreach (var name in SamplePhotos.Names)
                foreach (var f in fixture.Analyzer.AnalyzeImage(SamplePhotos.Read(name), FaceFeatures.Facen).Faces)
                    people.Add((name, f.Embedding!));
            Assert.Equal(22, people.Count);

            var sink = new CollectingFaceEventSink();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            var settings = CameraSettings.Default with { DisableDrops = true };
            var result = await VideoReplay.RunAsync(clip, "cam-22", settings, fixture.Analyzer, sink, NullLogger.Instance, cts.Token);

            var posted = new HashSet<int>();
            foreach (var e in sink.Events)
            {
                using var decoded = ImageDecoder.Decode(e.Request.Photo.Span);
                var face = fixture.Analyzer.Detect(decoded.Image).MaxBy(d => d.Box.IoU(e.Request.BBox));
                Assert.True(face.Box.IoU(e.Request.BBox) > 0.5, $"event {e.EventId}: its box {e.Request.BBox} is not a face of its photo");
                var embedding = fixture.Analyzer.Analyze(decoded.Image, face, FaceFeatures.Facen).Embedding!;
                var (best, score) = people.Select((p, i) => (i, FaceMatcher.Similarity(embedding, p.Embedding))).MaxBy(t => t.Item2);
                if (score >= MatchThresholds.Identification) posted.Add(best);
                output.WriteLine($"event track {e.TrackId} frames {e.Request.DetectorParams.TrackStartFrame}..{e.Request.DetectorParams.TrackEndFrame} box {e.Request.BBox}: {people[best].Photo}#{best} at {score:F3}");
            }
            var stats = result.Statistics;
            Assert.Equal(5, stats.SceneCuts); // the cuts between the six photos, and no other
            output.WriteLine($"{stats.SceneCuts} scene cuts; {sink.Events.Count} events, {posted.Count} of 22 people; not posted {stats.FacesNotPosted}: {stats.FacesNotPostedByReason}");
            var missing = Enumerable.Range(0, people.Count).Where(i => !posted.Contains(i)).Select(i => people[i].Photo);
            Assert.True(posted.Count == 22, $"not posted: {string.Join(", ", missing)}; faces_not_posted {stats.FacesNotPosted} ({stats.FacesNotPostedByReason})");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
