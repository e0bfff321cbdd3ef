namespace Router.Host.Plugins;

/// <summary>
/// Which assemblies a plugin shares with the host instead of loading its own copy. Sharing is
/// what makes the contract work: a plugin's IFaceRouterPlugin, ILogger and IConfiguration must
/// be the host's very types, or the host could not call the plugin nor hand it a logger.
/// Everything else a plugin brings stays private to its load context, so two plugins may use
/// different versions of the same library.
/// </summary>
public static class SharedAssemblies
{
    private static readonly HashSet<string> Exact = new(StringComparer.OrdinalIgnoreCase)
    {
        "Router.Abstractions",
        "Microsoft.Extensions.Logging",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Primitives",
    };

    public static bool IsShared(string? assemblyName)
    {
        if (string.IsNullOrEmpty(assemblyName)) return false;
        if (Exact.Contains(assemblyName)) return true;
        if (!assemblyName.StartsWith("Microsoft.Extensions.", StringComparison.OrdinalIgnoreCase)) return false;
        return assemblyName.EndsWith(".Abstractions", StringComparison.OrdinalIgnoreCase)
               || assemblyName.StartsWith("Microsoft.Extensions.Configuration", StringComparison.OrdinalIgnoreCase);
    }
}
