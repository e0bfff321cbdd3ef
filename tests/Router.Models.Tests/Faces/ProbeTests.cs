using Router.Abstractions;
using Router.Tests.Common;
using Xunit;
using Xunit.Abstractions;

namespace Router.Models.Tests.Faces;

public sealed class ProbeTests(AnalyzerFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyzerFixture>
{
    [Fact]
    public void Probe()
    {
        foreach (var name in SamplePhotos.Names)
        {
            var r = fixture.Analyzer.AnalyzeImage(SamplePhotos.Read(name), FaceFeatures.Gender | FaceFeatures.Age | FaceFeatures.Quality | FaceFeatures.Pose);
            output.WriteLine($"{name} {r.Width}x{r.Height} faces={r.Faces.Count}");
            foreach (var f in r.Faces)
                output.WriteLine($"  {f.Detection.Box} {f.Detection.Score:F2} {f.Attributes.Gender} age={f.Attributes.Age} q={f.Attributes.Quality?.Score:F2} [{string.Join(",", f.Attributes.Quality?.Traits ?? [])}] pose={f.Attributes.Pose} lm={Router.Models.Faces.LandmarkPose.Estimate(f.Landmarks)}");
        }
    }
}
