namespace Router.Host.Plugins;

/// <summary>
/// Copies a plugin folder to a private place before it is loaded, so that the operator (or a
/// build) can overwrite the original files while the host runs: the loader maps the copy, never
/// the original. Each generation gets its own folder.
/// </summary>
public sealed class PluginShadowCopies
{
    public PluginShadowCopies(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>Removes copies left by an earlier run of this shadow root.</summary>
    public void Clean()
    {
        try { if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true); }
        catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public string Copy(string pluginName, int generation, string sourceFolder)
    {
        var target = Path.Combine(Root, pluginName, $"{generation}-{Guid.NewGuid():N}"[..12]);
        CopyDirectory(new DirectoryInfo(sourceFolder), target);
        return target;
    }

    private static void CopyDirectory(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.EnumerateFiles())
        {
            // A file still being written shows up as an IOException: let the caller retry later.
            file.CopyTo(Path.Combine(target, file.Name), overwrite: true);
        }
        foreach (var dir in source.EnumerateDirectories())
            CopyDirectory(dir, Path.Combine(target, dir.Name));
    }
}
