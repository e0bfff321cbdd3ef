using System.Reflection;
using System.Runtime.Loader;

namespace Router.Host.Plugins;

/// <summary>
/// A collectible load context for one loaded generation of one plugin (what
/// McMaster.NETCore.Plugins builds, on .NET's own types). Shared assemblies
/// (<see cref="SharedAssemblies"/>) come from the host's default context; the plugin's other
/// dependencies, managed and native, are resolved from its own .deps.json and stay private.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string name, string mainAssemblyPath) : base(name, isCollectible: true)
    {
        MainAssemblyPath = mainAssemblyPath;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    public string MainAssemblyPath { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (SharedAssemblies.IsShared(assemblyName.Name))
        {
            // The host's copy wins whatever version the plugin was built against; a plugin that
            // ships an assembly the host lacks still gets its own copy below.
            try { return Default.LoadFromAssemblyName(new AssemblyName(assemblyName.Name!)); }
            catch (FileNotFoundException) { }
        }
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        // null: not the plugin's own dependency (a framework assembly): the default context loads it.
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override nint LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? nint.Zero : LoadUnmanagedDllFromPath(path);
    }
}
