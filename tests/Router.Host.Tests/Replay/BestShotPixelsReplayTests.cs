using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Tests.Common;
using Router.Tests.Common.Video;
using Xunit;
using Xunit.Abstractions;

namespace Router.Host.Tests.Replay;

/// <summary>
/// The pipeline lends each event its best shot's decoded frame and landmarks for PublishAsync:
/// the landmarks are those of the event's box on those pixels, the loan ends when PublishAsync
/// returns, and a sink that kept a holder of its own holds the only reference left.
/// </summary>
public sealed class BestShotPixelsReplayTests(AnalyzerFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyzerFixture>
{
    private static readonly CameraSettings Open = CameraSettings.Default with { FilterMinQuality = 0, FilterMinSize = 40 };

    [Fact]
    public async Task Each_event_lends_its_frame_and_landmarks_for_PublishAsync_and_the_pipeline_keeps_no_reference_after()
    {
        var clip = await TestVideos.StillAsync("sample1.jpg", 3);
        var sink = new PixelKeepingSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var result = await VideoReplay.RunAsync(clip, "cam-test", Open, fixture.Analyzer, sink, NullLogger.Instance, cts.Token);

        var kept = sink.Kept;
        Assert.Equal(SamplePhotos.FaceCounts["sample1.jpg"], kept.Count);
        Assert.Equal(result.Events, kept.Count);
        foreach (var (e, pixels) in kept)
        {
            Assert.NotNull(pixels);
            Assert.Throws<ObjectDisposedException>(() => e.Pixels!.Image); // the loan ended with PublishAsync
            Assert.Null(e.Pixels!.Keep());
            Assert.Equal(1, pixels.FrameReferences); // the sink's own: candidate, latest frame and loan all released
            Assert.Equal((TestVideos.Width, TestVideos.Height), (pixels.Image.Width, pixels.Image.Height));

            // The landmarks are the event's box's on these pixels: running the model again finds them.
            var face = new FaceDetection(e.Request.BBox, e.Request.DetectorParams.DetectionScore);
            var again = fixture.Analyzer.Analyze(pixels.Image, face, FaceFeatures.None);
            Assert.Equal(again.Landmarks.Length, pixels.Landmarks.Length);
            for (int i = 0; i < again.Landmarks.Length; i++)
            {
                Assert.Equal(again.Landmarks[i].X, pixels.Landmarks[i].X, 0.01f);
                Assert.Equal(again.Landmarks[i].Y, pixels.Landmarks[i].Y, 0.01f);
            }

            // Routing now embeds the raw frame instead of the JPEG (quality 95) made of it: the same face either way.
            var fromFrame = fixture.Analyzer.Analyze(pixels.Image, face, FaceFeatures.Facen, pixels.Landmarks).Embedding!;
            using var decoded = JpegCodec.Decode(e.Request.Photo.Span);
            var fromJpeg = fixture.Analyzer.Analyze(decoded, face, FaceFeatures.Facen).Embedding!;
            var similarity = FaceMatcher.Similarity(fromFrame, fromJpeg);
            output.WriteLine($"event {e.EventId}: frame vs JPEG embedding similarity {similarity:F4}");
            Assert.True(similarity > 0.99f, $"event {e.EventId}: similarity {similarity}");

            pixels.Dispose();
            Assert.Equal(0, pixels.FrameReferences);
            pixels.Dispose(); // a second dispose releases nothing
        }
    }
}
