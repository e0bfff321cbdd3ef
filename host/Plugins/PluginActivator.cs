using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Host.Plugins;

/// <summary>
/// Finds the plugin class in a plugin's main assembly and constructs it. A constructor may take
/// any of IPluginContext, ILogger, ILogger&lt;T&gt;, ILoggerFactory and IConfiguration (the
/// plugin's Settings section), in any order; the one with the most parameters that can all be
/// supplied wins.
/// </summary>
internal static class PluginActivator
{
    public static Type FindPluginType(Assembly assembly, string? configuredType)
    {
        Type[] exported;
        try { exported = assembly.GetExportedTypes(); }
        catch (ReflectionTypeLoadException e)
        {
            throw new RouterException(PluginErrorCodes.LoadError,
                $"types of {assembly.GetName().Name} cannot be loaded: {e.LoaderExceptions.FirstOrDefault()?.Message}");
        }
        var candidates = exported
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IFaceRouterPlugin).IsAssignableFrom(t))
            .ToList();
        if (configuredType is not null)
            return candidates.FirstOrDefault(t => t.FullName == configuredType || t.Name == configuredType)
                   ?? throw new RouterException(PluginErrorCodes.NoPluginType,
                       $"{assembly.GetName().Name} has no public plugin class '{configuredType}' (found: {Names(candidates)})");
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new RouterException(PluginErrorCodes.NoPluginType, NoTypeReason(assembly, exported)),
            _ => throw new RouterException(PluginErrorCodes.NoPluginType,
                $"{assembly.GetName().Name} has several plugin classes ({Names(candidates)}): set Plugins:Items:NAME:Type"),
        };
    }

    public static IFaceRouterPlugin Create(Type type, IPluginContext context, ILoggerFactory loggers, IConfiguration settings)
    {
        var constructors = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length);
        foreach (var ctor in constructors)
        {
            var parameters = ctor.GetParameters();
            var args = new object?[parameters.Length];
            bool ok = true;
            for (int i = 0; i < parameters.Length && ok; i++)
            {
                args[i] = Argument(parameters[i].ParameterType, type, context, loggers, settings);
                ok = args[i] is not null;
            }
            if (!ok) continue;
            try { return (IFaceRouterPlugin)ctor.Invoke(args); }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                var inner = e.InnerException;
                throw new RouterException(PluginErrorCodes.ConstructorError,
                    $"{type.FullName} constructor failed: {(inner is RouterException re ? $"{re.Code}: " : "")}{inner.Message}", inner: inner);
            }
        }
        throw new RouterException(PluginErrorCodes.NoPluginType,
            $"{type.FullName} has no public constructor taking only IPluginContext, ILogger, ILogger<T>, ILoggerFactory or IConfiguration");
    }

    private static object? Argument(Type wanted, Type pluginType, IPluginContext context, ILoggerFactory loggers, IConfiguration settings)
    {
        if (wanted == typeof(IPluginContext)) return context;
        if (wanted == typeof(ILoggerFactory)) return loggers;
        if (wanted == typeof(IConfiguration)) return settings;
        // The category is the plugin's name, not its type: logs read "Plugin.watchlist".
        if (wanted == typeof(ILogger)) return loggers.CreateLogger("Plugin." + context.Name);
        if (wanted.IsGenericType && wanted.GetGenericTypeDefinition() == typeof(ILogger<>))
            return Activator.CreateInstance(typeof(Logger<>).MakeGenericType(wanted.GetGenericArguments()[0]), loggers);
        return null;
    }

    private static string Names(IEnumerable<Type> types) => string.Join(", ", types.Select(t => t.FullName));

    private static string NoTypeReason(Assembly assembly, Type[] exported)
    {
        // The usual cause: the plugin shipped its own Router.Abstractions.dll built elsewhere,
        // whose IFaceRouterPlugin is a different type (we share the host's; this reports the mismatch).
        var lookalike = exported.FirstOrDefault(t => t.GetInterfaces().Any(i => i.FullName == typeof(IFaceRouterPlugin).FullName));
        return lookalike is null
            ? $"{assembly.GetName().Name} has no public non-abstract class implementing {typeof(IFaceRouterPlugin).FullName}"
            : $"{lookalike.FullName} implements a different {typeof(IFaceRouterPlugin).FullName} than the host's: reference Router.Abstractions with Private=false";
    }
}
