using System.Drawing;
using Router.Models;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Tests.Common;
using Xunit;

namespace Router.Bench.Tests;

/// <summary>
/// The fused samplers (resize/warp + channel order + normalisation straight into the tensor)
/// against the reference path they replaced (<see cref="ReferencePreprocessing"/>: resize into a BgrImage, then pack): the same
/// fixed-point arithmetic, so they must agree to float rounding on real photos, including
/// regions that reach outside the frame and upscaled crops.
/// </summary>
public sealed class FusedPreprocessingTests(AnalyzerFixture fixture) : IClassFixture<AnalyzerFixture>
{
    private const float Tolerance = 1e-5f;

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        var at = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = MathF.Abs(expected[i] - actual[i]);
            if (d > worst) { worst = d; at = i; }
        }
        Assert.True(worst <= Tolerance, $"largest difference {worst} at {at}: expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}");
    }

    public static TheoryData<float, float, float, float> DetectorRegions() => new()
    {
        { 0, 0, 1920, 1280 },      // the whole frame (6× down)
        { -100, -50, 640, 480 },   // a region reaching outside the top-left
        { 1500, 1000, 640, 480 },  // and outside the bottom-right
        { 800.3f, 400.7f, 160, 120 }, // upscaled 2×, fractional origin
    };

    [Theory]
    [MemberData(nameof(DetectorRegions))]
    public void Detector_input_matches_the_reference(float x, float y, float w, float h)
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample1.jpg"));
        var detector = fixture.Analyzer.Detector;
        var fused = new float[detector.Session.InputLength];
        var reference = new float[detector.Session.InputLength];
        var region = new RectangleF(x, y, w, h);
        detector.Preprocess(decoded.Image, region, fused);
        ReferencePreprocessing.Detector(detector, decoded.Image, region, reference);
        AssertClose(reference, fused);
    }

    [Fact]
    public void Landmark_input_matches_the_reference_for_every_face()
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample2.jpg"));
        var fused = new float[LandmarkDetector.Size * LandmarkDetector.Size];
        var reference = new float[fused.Length];
        foreach (var face in fixture.Analyzer.Detect(decoded.Image))
        {
            var region = LandmarkDetector.Region(face.Box);
            LandmarkDetector.Preprocess(decoded.Image, region, fused);
            ReferencePreprocessing.Landmarks(decoded.Image, region, reference);
            AssertClose(reference, fused);
        }
    }

    [Theory]
    [InlineData(ChannelOrder.Rgb)]
    [InlineData(ChannelOrder.Bgr)]
    public void Aligned_embedding_input_matches_the_reference(ChannelOrder order)
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample3.jpg"));
        var image = decoded.Image;
        var fused = new float[3 * FaceAligner.Size * FaceAligner.Size];
        var reference = new float[fused.Length];
        foreach (var face in fixture.Analyzer.Detect(image))
        {
            var points = fixture.Analyzer.Landmarks.Detect(image, face.Box);
            var toImage = FaceAligner.ImageToTemplate(points).Invert();
            FaceEmbedder.Preprocess(image, toImage, order, fused);
            ReferencePreprocessing.Embedder(image, toImage, order, reference);
            AssertClose(reference, fused);
        }
        // A rotated, enlarged warp whose corners fall outside the frame: the edge (black) pixels too.
        var outside = new AffineMatrix(2.5, -1.2, -60, 1.2, 2.5, image.Height - 200);
        FaceEmbedder.Preprocess(image, outside, order, fused);
        ReferencePreprocessing.Embedder(image, outside, order, reference);
        AssertClose(reference, fused);
    }

    [Fact]
    public void Per_plane_statistics_and_upscaled_crops_match_the_reference()
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample4.jpg"));
        float[] mean = [123.7f, 116.3f, 103.5f], scale = [1 / 58.4f, 1 / 57.1f, 1 / 57.4f];
        const int size = 224;
        var region = new RectangleF(1890.5f, 610.25f, 100, 90); // past the right edge, upscaled ×2.2
        var fused = new float[3 * size * size];
        var reference = new float[fused.Length];
        TensorSampler.ResizeToPlanes(decoded.Image, region, size, size, fused, ChannelOrder.Rgb, mean, scale);
        using (var crop = ImageOps.ResizeRegion(decoded.Image, region, size, size))
            ReferencePreprocessing.Planes(crop, reference, ChannelOrder.Rgb, mean, scale);
        AssertClose(reference, fused);

        // An odd size exercises the scalar tails next to the Vector256 loops.
        var odd = new float[3 * 37 * 29];
        var oddReference = new float[odd.Length];
        TensorSampler.ResizeToPlanes(decoded.Image, region, 37, 29, odd, ChannelOrder.Bgr, mean, scale);
        using (var crop = ImageOps.ResizeRegion(decoded.Image, region, 37, 29))
            ReferencePreprocessing.Planes(crop, oddReference, ChannelOrder.Bgr, mean, scale);
        AssertClose(oddReference, odd);
        TensorSampler.ResizeToGray(decoded.Image, region, 37, 29, odd.AsSpan(0, 37 * 29), 0f, 1f / 256f);
        using (var crop = ImageOps.ResizeRegion(decoded.Image, region, 37, 29))
            ReferencePreprocessing.Gray(crop, oddReference.AsSpan(0, 37 * 29), 0f, 1f / 256f);
        AssertClose(oddReference.AsSpan(0, 37 * 29), odd.AsSpan(0, 37 * 29));

        var grayFused = new float[24 * 24];
        var grayReference = new float[24 * 24];
        TensorSampler.ResizeToGray(decoded.Image, region, 24, 24, grayFused, 0f, 1f / 255f);
        using (var crop = ImageOps.ResizeRegion(decoded.Image, region, 24, 24))
            ReferencePreprocessing.Gray(crop, grayReference, 0f, 1f / 255f);
        AssertClose(grayReference, grayFused);
    }
}
