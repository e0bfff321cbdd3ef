using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Tests.Common;
using Xunit;
using Xunit.Abstractions;

namespace Router.Models.Tests.Faces;

/// <summary>
/// Re-measures the channel order of the colour models on the 22 sample faces (all women) and
/// checks that the order <see cref="ModelChannelOrders.Default"/> picks is not worse than the
/// other one. The measured figures are printed for the record.
/// </summary>
public sealed class ChannelOrderTests(AnalyzerFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyzerFixture>
{
    private static IEnumerable<(BgrImage Image, FaceDetection Face)> Faces(FaceAnalyzer analyzer, List<BgrImage> images)
    {
        foreach (var name in SamplePhotos.Names)
        {
            var image = ImageDecoder.Decode(SamplePhotos.Read(name)).Image;
            images.Add(image);
            foreach (var f in analyzer.Detect(image)) yield return (image, f);
        }
    }

    [Fact]
    public void Gender_default_order_is_right_for_more_women_than_the_other()
    {
        var images = new List<BgrImage>();
        try
        {
            var faces = Faces(fixture.Analyzer, images).ToList();
            using var bgr = new GenderEstimator(fixture.Analyzer.Open(ModelFiles.Gender), ChannelOrder.Bgr);
            using var rgb = new GenderEstimator(fixture.Analyzer.Open(ModelFiles.Gender), ChannelOrder.Rgb);
            var bgrRight = faces.Count(f => bgr.Estimate(f.Image, f.Face.Box).Gender == "female");
            var rgbRight = faces.Count(f => rgb.Estimate(f.Image, f.Face.Box).Gender == "female");
            output.WriteLine($"gender female of {faces.Count}: BGR {bgrRight}, RGB {rgbRight}");
            var chosen = ModelChannelOrders.Default.Gender == ChannelOrder.Bgr ? bgrRight : rgbRight;
            Assert.True(chosen >= Math.Max(bgrRight, rgbRight));
        }
        finally { images.ForEach(i => i.Dispose()); }
    }
}
