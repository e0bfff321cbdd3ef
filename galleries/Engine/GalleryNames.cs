using System.Text.RegularExpressions;
using Router.Abstractions;

namespace Router.Galleries.Engine;

/// <summary>Gallery names are URL path segments: letters, digits, '_', '-', '.', 1..100 characters.</summary>
public static partial class GalleryNames
{
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex Valid();

    public static void Check(string name, string param = "gallery")
    {
        if (name is null || !Valid().IsMatch(name) || name is "." or "..")
            throw RouterException.BadParam(param, name, "a gallery name is 1..100 of A-Z a-z 0-9 _ - .");
    }
}
