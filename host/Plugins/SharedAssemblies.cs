using System.Reflection;

namespace Router.Host.Plugins;

/// <summary>
/// Which assemblies a plugin shares with the host instead of loading its own copy. Sharing is
/// what makes the contract work: a plugin's IFaceRouterPlugin, ILogger and IConfiguration must
/// be the host's very types, or the host could not call the plugin nor hand it a logger.
/// The framework (Microsoft.NETCore.App) is shared without being named: a plugin's .deps.json
/// lists no file for it, so its load context falls back to the host's. Everything else a plugin
/// brings stays private to its load context, so two plugins may use different versions of the
/// same library, and one other than the host's (<c>PluginLoadingTests</c>).
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

    /// <summary>
    /// The host's assemblies that are shared, for McMaster.NETCore.Plugins' <c>SharedAssemblies</c>
    /// (which needs names the host can load): those of its trusted platform list that match.
    /// </summary>
    public static IReadOnlyList<AssemblyName> InHost() => HostShared.Value;

    private static readonly Lazy<IReadOnlyList<AssemblyName>> HostShared = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .Where(IsShared)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => new AssemblyName(name!))
            .ToArray());

    public static bool IsShared(string? assemblyName)
    {
        if (string.IsNullOrEmpty(assemblyName)) return false;
        if (Exact.Contains(assemblyName)) return true;
        if (!assemblyName.StartsWith("Microsoft.Extensions.", StringComparison.OrdinalIgnoreCase)) return false;
        return assemblyName.EndsWith(".Abstractions", StringComparison.OrdinalIgnoreCase)
               || assemblyName.StartsWith("Microsoft.Extensions.Configuration", StringComparison.OrdinalIgnoreCase);
    }
}
