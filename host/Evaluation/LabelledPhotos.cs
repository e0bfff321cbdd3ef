namespace Router.Host.Evaluation;

/// <summary>One photo of a labelled set: who it shows and where it is (relative to the set's folder).</summary>
public sealed record LabelledPhoto(string Person, string RelativePath);

/// <summary>
/// A folder with one sub-folder per person (LFW's layout): every image file below a person's
/// folder is a photo of that person.
/// </summary>
public static class LabelledPhotos
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp" };

    public static IReadOnlyList<LabelledPhoto> Scan(string root)
    {
        var photos = new List<LabelledPhoto>();
        foreach (var personDir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var person = Path.GetFileName(personDir);
            foreach (var file in Directory.EnumerateFiles(personDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                if (ImageExtensions.Contains(Path.GetExtension(file)))
                    photos.Add(new LabelledPhoto(person, Path.GetRelativePath(root, file)));
        }
        return photos;
    }
}
