using Router.Abstractions;

namespace Router.Galleries.Subjects;

/// <summary>
/// Subject names are people's names as operators type them ("Jane Doe", "Zoë"): 1..200 characters,
/// no control characters, no '/' (they are URL path segments), no leading or trailing spaces.
/// </summary>
public static class SubjectNames
{
    public const int MaxLength = 200;

    public static string Check(string? name, string param = "subject")
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name.Trim().Length != name.Length
            || name.Any(c => char.IsControl(c) || c == '/'))
            throw RouterException.BadParam(param, name, $"a subject name is 1..{MaxLength} characters without '/', control characters or surrounding spaces");
        return name;
    }
}
