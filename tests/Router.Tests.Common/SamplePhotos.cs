using Router.Models;

namespace Router.Tests.Common;

/// <summary>The six sample group photos from @vladmandic/face-api (22 faces, all women).</summary>
public static class SamplePhotos
{
    /// <summary>Faces per photo, counted by looking at each photo: sample1..sample6 (22 in all).</summary>
    public static readonly IReadOnlyDictionary<string, int> FaceCounts = new Dictionary<string, int>
    {
        ["sample1.jpg"] = 3, ["sample2.jpg"] = 3, ["sample3.jpg"] = 3,
        ["sample4.jpg"] = 4, ["sample5.jpg"] = 5, ["sample6.jpg"] = 4,
    };

    public static string PathOf(string name) => System.IO.Path.Combine(AssetLocator.PhotosDirectory, name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    public static IEnumerable<string> Names => FaceCounts.Keys;
}
