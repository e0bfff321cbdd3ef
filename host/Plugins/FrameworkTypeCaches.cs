using System.Reflection;
using System.Reflection.Metadata;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging;

namespace Router.Host.Plugins;

/// <summary>
/// Makes the shared framework forget a plugin's types when its load context is unloaded.
/// Libraries loaded once in the host's default context keep static caches keyed by Type: the
/// first <c>JsonSerializer.Serialize</c> of a plugin's record or anonymous type stores its
/// metadata in <c>JsonSerializerOptions.Default</c> for ever (dotnet/runtime#65323, still open),
/// which roots the plugin's whole context and leaks one plugin build per hot reload. Every
/// plugin we ship serializes JSON, so this is the normal case, not an edge.
/// </summary>
/// <remarks>
/// The framework already has a hook for "these types are no longer what you cached": the
/// <see cref="MetadataUpdateHandlerAttribute"/> handlers that .NET Hot Reload calls. We call the
/// <c>ClearCache(Type[])</c> of the handlers in <see cref="Assemblies"/> only, never all of them:
/// CoreLib's, handed any unsealed type, walks and materializes every type of every loaded
/// assembly (and in recent runtimes switches reflection to filtering deleted members for good),
/// and the others' effects on the app are not ours to trigger. System.Text.Json ignores the list and empties its caches, which the
/// host's own serialization then rebuilds: a cost paid once per unload. Another library that
/// caches plugin types in the default context (TypeDescriptor, used by Newtonsoft.Json) would
/// need adding here, with a test in PluginUnloadTests.
/// </remarks>
internal static class FrameworkTypeCaches
{
    /// <summary>The types an unloading context defines, taken before it unloads.</summary>
    public static Type[] TypesOf(AssemblyLoadContext context)
    {
        var types = new List<Type>();
        foreach (var assembly in context.Assemblies)
        {
            try { types.AddRange(assembly.GetTypes()); }
            catch (ReflectionTypeLoadException e) { types.AddRange(e.Types.OfType<Type>()); }
        }
        return types.ToArray();
    }

    /// <summary>Assemblies whose metadata-update handlers are known to only drop Type-keyed caches.</summary>
    private static readonly string[] Assemblies = ["System.Text.Json"];

    /// <summary>Calls the listed libraries' cache-clearing handlers with <paramref name="types"/>; one that throws is logged and skipped.</summary>
    public static void Forget(Type[] types, ILogger logger)
    {
        // Only the default context: that is where the shared caches live (a plugin's private
        // copies of libraries go away with its context anyway).
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (Array.IndexOf(Assemblies, assembly.GetName().Name) < 0) continue;
            foreach (var handler in assembly.GetCustomAttributes<MetadataUpdateHandlerAttribute>())
            {
                var clear = handler.HandlerType.GetMethod("ClearCache",
                    BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(Type[])]);
                if (clear is null)
                {
                    logger.LogWarning("{Handler} has no ClearCache(Type[]) any more; unloaded plugins may stay in memory", handler.HandlerType.FullName);
                    continue;
                }
                try { clear.Invoke(null, [types]); }
                catch (TargetInvocationException e)
                {
                    logger.LogWarning(e.InnerException, "Clearing {Handler}'s type cache after a plugin unload failed; the plugin may stay in memory",
                        handler.HandlerType.FullName);
                }
            }
        }
    }
}
