using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Tests.Common;
using Xunit;

namespace Router.Models.Tests.Faces;

/// <summary>
/// The detector runs per frame on every camera: once warm, a call into a reused list must not
/// allocate (pooled tensors, per-thread candidate lists, no per-run strings). Measured with the
/// thread's allocation counter, so the bound is about bytes, not time.
/// </summary>
public sealed class DetectorAllocationTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    [Fact]
    public void A_warm_detect_call_allocates_almost_nothing()
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample1.jpg"));
        var detector = fixture.Analyzer.Detector;
        var faces = new List<FaceDetection>(8);
        for (var i = 0; i < 5; i++) { faces.Clear(); detector.Detect(decoded.Image, DetectionOptions.Default, faces); }

        const int calls = 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++) { faces.Clear(); detector.Detect(decoded.Image, DetectionOptions.Default, faces); }
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;

        Assert.Equal(3, faces.Count);
        // Generous: a frame's tensors alone would be 300 KB; before this work a call allocated
        // the candidate lists, the result list and the run's error-message string.
        Assert.True(perCall < 256, $"a warm Detect call allocated {perCall:F0} bytes");
    }
}
