namespace Router.Models;

/// <summary>
/// Finds the asset cache that models/fetch-assets.sh fills (models and
/// sample photos): $ROUTER_ASSETS when set (the launcher sets it), otherwise the first
/// <c>.cache/assets</c> above the running assembly or the current directory.
/// </summary>
public static class AssetLocator
{
    public const string EnvironmentVariable = "ROUTER_ASSETS";

    private static readonly Lazy<string?> Found = new(Locate);

    /// <summary>The asset root, or null when none was found.</summary>
    public static string? Root => Found.Value;

    /// <summary>The asset root; a clear error naming the fix when set-up never ran.</summary>
    public static string RequireRoot() => Root ?? throw new Abstractions.RouterException(
        Abstractions.ErrorCodes.NotFound,
        "model assets not found: run ./router setup (or models/fetch-assets.sh), or set ROUTER_ASSETS to the asset folder");

    public static string ModelsDirectory => Path.Combine(RequireRoot(), "models");
    public static string PhotosDirectory => Path.Combine(RequireRoot(), "photos");

    private static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".cache", "assets");
                if (Directory.Exists(Path.Combine(candidate, "models"))) return candidate;
            }
        }
        return null;
    }
}
