using Router.Abstractions;
using Router.Models;
using Router.Models.Faces;
using Router.Models.Imaging;

namespace Router.Bench;

/// <summary>
/// Embeddings of real faces for the search benchmark: every face of the repository's sample
/// photos, each photo also mirrored, scaled down and made darker or brighter (each variant
/// is detected, aligned and embedded again, so it is another real embedding of the same
/// face, as a second camera shot would be), plus the faces of an optional folder of photos
/// (e.g. ../shared/data/lfw-dev/images; never required).
/// </summary>
internal static class RealEmbeddings
{
    public sealed record Face(int Person, float[] Vector);

    public static List<Face> Load(string? photoFolder, int folderLimit)
    {
        var faces = new List<Face>();
        using var analyzer = new FaceAnalyzer();
        int person = 0;
        foreach (var path in Directory.EnumerateFiles(AssetLocator.PhotosDirectory, "*.jpg").Order(StringComparer.Ordinal))
            person = AddPhoto(analyzer, path, person, faces, variants: true);
        if (photoFolder is not null && Directory.Exists(photoFolder))
            foreach (var path in Directory.EnumerateFiles(photoFolder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(folderLimit))
                person = AddPhoto(analyzer, path, person, faces, variants: false);
        return faces;
    }

    /// <summary>Adds the faces of one photo (and of its variants, matched to the original's faces by box centre); returns the next person number.</summary>
    private static int AddPhoto(FaceAnalyzer analyzer, string path, int person, List<Face> faces, bool variants)
    {
        using var decoded = ImageDecoder.Decode(File.ReadAllBytes(path));
        var original = analyzer.Detect(decoded.Image);
        for (int i = 0; i < original.Count; i++) faces.Add(new Face(person + i, analyzer.Analyze(decoded.Image, original[i], FaceFeatures.Facen).Embedding!));
        if (variants)
        {
            foreach (bool mirror in new[] { false, true })
                foreach (double scale in new[] { 1.0, 0.7 })
                    foreach (double gain in new[] { 1.0, 0.75, 1.25 })
                    {
                        if (!mirror && scale == 1.0 && gain == 1.0) continue;
                        using var image = Variant(decoded.Image, mirror, scale, gain);
                        foreach (var f in analyzer.Detect(image))
                        {
                            // The original face whose centre is nearest, in the original's coordinates.
                            float cx = (f.Box.Left + f.Box.Width / 2f) / (float)scale, cy = (f.Box.Top + f.Box.Height / 2f) / (float)scale;
                            if (mirror) cx = decoded.Image.Width - cx;
                            int best = -1; double bestDistance = double.MaxValue;
                            for (int i = 0; i < original.Count; i++)
                            {
                                var o = original[i].Box;
                                double dx = o.Left + o.Width / 2.0 - cx, dy = o.Top + o.Height / 2.0 - cy, d = dx * dx + dy * dy;
                                if (d < bestDistance) { bestDistance = d; best = i; }
                            }
                            if (best < 0 || bestDistance > Math.Pow(original[best].Box.Width / 2, 2)) continue;
                            faces.Add(new Face(person + best, analyzer.Analyze(image, f, FaceFeatures.Facen).Embedding!));
                        }
                    }
        }
        return person + original.Count;
    }

    private static BgrImage Variant(BgrImage source, bool mirror, double scale, double gain)
    {
        var image = scale == 1.0 ? source.Clone() : ImageOps.Resize(source, (int)(source.Width * scale), (int)(source.Height * scale));
        var px = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            var row = px.Slice(y * image.Stride, image.Stride);
            if (mirror)
                for (int l = 0, r = image.Width - 1; l < r; l++, r--)
                    for (int c = 0; c < 3; c++) (row[l * 3 + c], row[r * 3 + c]) = (row[r * 3 + c], row[l * 3 + c]);
            if (gain != 1.0)
                for (int i = 0; i < row.Length; i++) row[i] = (byte)Math.Min(255, (int)(row[i] * gain));
        }
        return image;
    }
}
