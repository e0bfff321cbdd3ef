namespace Router.Abstractions;

/// <summary>Sort orders of a listing.</summary>
public static class ListSort
{
    public const string IdAscending = "id";
    public const string IdDescending = "-id";
    /// <summary>Most similar first; the default when a Detection or Face filter is present.</summary>
    public const string ConfidenceDescending = "-confidence";
}
