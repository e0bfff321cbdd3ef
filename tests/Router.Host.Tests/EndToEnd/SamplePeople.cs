using Router.Abstractions;
using Router.Models.Faces;
using Router.Tests.Common;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// Two people of sample4 as photos of their own, for the tests of the compatible APIs: Ann (her face
/// cropped), Ann again (mirrored at another size: another photo of the same person) and a stranger.
/// </summary>
public sealed record SamplePeople(byte[] Ann, byte[] AnnAgain, byte[] Stranger)
{
    public static async Task<SamplePeople> CropAsync(IFaceAnalyzer analyzer, string folder)
    {
        var analysis = analyzer.AnalyzeImage(SamplePhotos.Read("sample4.jpg"), FaceFeatures.None);
        var faces = analysis.Faces.OrderByDescending(f => f.Detection.Box.Width).ToList();
        var path = SamplePhotos.PathOf("sample4.jpg");
        return new SamplePeople(
            await FaceCrops.CropAsync(path, faces[0].Detection.Box, analysis.Width, analysis.Height, Path.Combine(folder, "ann.jpg"), 1.0),
            await FaceCrops.CropAsync(path, faces[0].Detection.Box, analysis.Width, analysis.Height, Path.Combine(folder, "ann2.jpg"), 0.8, mirror: true),
            await FaceCrops.CropAsync(path, faces[1].Detection.Box, analysis.Width, analysis.Height, Path.Combine(folder, "other.jpg"), 1.0));
    }
}
