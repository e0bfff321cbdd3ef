using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Plugins.Isolation;

namespace Router.Host.Plugins;

/// <summary>
/// Loads one generation of a plugin: shadow-copies its folder, creates its collectible load
/// context through McMaster.NETCore.Plugins' loader, loads the main assembly, checks its contract
/// version, finds the plugin class and constructs it with its context. On any failure the
/// half-loaded context is unloaded and a <see cref="RouterException"/> with a
/// <see cref="PluginErrorCodes"/> code says why.
/// </summary>
/// <remarks>
/// The package's settings, chosen (stack.md and <c>PluginLoadingTests</c> measured them):
/// <list type="bullet">
/// <item><c>PreferSharedTypes = false</c>: only <see cref="SharedAssemblies"/> come from the host;
/// with true, a plugin built against an older version of any library the host also has silently
/// gets the host's, so its private dependencies would not be private.</item>
/// <item><c>IsUnloadable = true</c>: a retired generation is unloaded once its calls drained
/// (<see cref="PluginInstance.RetireAsync"/>).</item>
/// <item><c>EnableHotReload = false</c> and <c>LoadInMemory = false</c>: the package's watcher sees
/// only <c>Changed</c> on <c>*.dll</c> in the main folder (no atomic <c>mv</c>, no sub-folders) and
/// does not drain calls; <see cref="PluginHotReloader"/> does all that. It would also force
/// in-memory loading, which the shadow copy makes needless: the files loaded are the copy's.</item>
/// </list>
/// </remarks>
public sealed class PluginLoader
{
    private readonly PluginsOptions _options;
    private readonly EventAnnotations _annotations;
    private readonly IConfiguration _pluginsSection;
    private readonly IGalleryClient _galleries;
    private readonly IIdGenerator _ids;
    private readonly ILoggerFactory _loggers;
    private readonly PluginShadowCopies _shadow;
    private readonly ILogger<PluginLoader> _logger;
    private readonly IsolatedPluginsApi _isolatedApi;

    /// <param name="pluginsSection">The <c>Plugins</c> configuration section (per-plugin settings are read below it).</param>
    public PluginLoader(IOptions<PluginsOptions> options, IConfiguration pluginsSection, IGalleryClient galleries,
        IIdGenerator ids, ILoggerFactory loggers, PluginShadowCopies shadow, EventAnnotations annotations,
        IOptions<IsolatedPluginsApi>? isolatedApi = null)
    {
        _isolatedApi = isolatedApi?.Value ?? new IsolatedPluginsApi();
        _annotations = annotations;
        _options = options.Value;
        _pluginsSection = pluginsSection;
        _galleries = galleries;
        _ids = ids;
        _loggers = loggers;
        _shadow = shadow;
        _logger = loggers.CreateLogger<PluginLoader>();
    }

    public string AssemblyNameOf(PluginEntry entry) => entry.Options.Assembly ?? entry.Name;

    public PluginInstance Load(PluginEntry entry, int generation, Func<string, IFaceRouterPlugin?> lookup)
    {
        var assemblyName = AssemblyNameOf(entry);
        var sourceMain = Path.Combine(entry.Folder, assemblyName + ".dll");
        if (!File.Exists(sourceMain))
            throw new RouterException(PluginErrorCodes.LoadError,
                $"plugin folder {entry.Folder} has no {assemblyName}.dll (set Plugins:Items:{entry.Name}:Assembly when the assembly is named differently)");

        string shadowFolder;
        try { shadowFolder = _shadow.Copy(entry.Name, generation, entry.Folder); }
        catch (IOException e)
        {
            throw new RouterException(PluginErrorCodes.LoadError, $"copying {entry.Folder} failed (still being written?): {e.Message}", inner: e);
        }

        if (entry.Options.Isolation == PluginIsolation.Process) return LoadIsolated(entry, generation, shadowFolder, assemblyName);

        var mainPath = Path.Combine(shadowFolder, assemblyName + ".dll");
        McMaster.NETCore.Plugins.PluginLoader loader;
        try
        {
            loader = OpenPackageLoader(mainPath);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or InvalidOperationException)
        {
            // The package reads the main assembly's .deps.json and runtimeconfig here.
            try { Directory.Delete(shadowFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new RouterException(PluginErrorCodes.LoadError, $"{assemblyName}.dll cannot be loaded: {e.Message}", inner: e);
        }
        var context = loader.LoadContext;
        try
        {
            Assembly assembly;
            try { assembly = loader.LoadDefaultAssembly(); }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                throw new RouterException(PluginErrorCodes.LoadError, $"{assemblyName}.dll cannot be loaded: {e.Message}", inner: e);
            }

            CheckContract(assembly, assemblyName);
            var type = PluginActivator.FindPluginType(assembly, entry.Options.Type);
            var settingsSection = _pluginsSection.GetSection($"Items:{entry.Name}:Settings");
            var settings = SettingsOf(entry);
            var dataDirectory = DataDirectoryOf(entry);
            var pluginContext = new PluginContext(entry.Name, _galleries, _ids, settings, dataDirectory, lookup, _annotations);
            var plugin = PluginActivator.Create(type, pluginContext, _loggers, settingsSection);

            var version = VersionOf(assembly);
            _logger.LogInformation("Plugin {Plugin} loaded: {Type} {Version} (generation {Generation}) from {Folder}",
                entry.Name, type.FullName, version, generation, entry.Folder);
            return new PluginInstance(entry.Name, generation, version, type.FullName!, shadowFolder, loader, plugin);
        }
        catch
        {
            // The constructor may have serialized its types before failing: forget them too.
            var types = FrameworkTypeCaches.TypesOf(context);
            loader.Dispose();
            FrameworkTypeCaches.Forget(types, _logger);
            try { Directory.Delete(shadowFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>The package's loader over a plugin's main assembly, with the settings chosen for this host (README: "Loading").</summary>
    internal static McMaster.NETCore.Plugins.PluginLoader OpenPackageLoader(string mainPath) =>
        McMaster.NETCore.Plugins.PluginLoader.CreateFromAssemblyFile(mainPath, config =>
        {
            config.IsUnloadable = true;
            config.PreferSharedTypes = false;
            config.EnableHotReload = false;
            config.LoadInMemory = false;
            // Shared names are added as they are, not loaded with their references up front.
            config.IsLazyLoaded = true;
            foreach (var shared in SharedAssemblies.InHost()) config.SharedAssemblies.Add(shared);
        });

    private Dictionary<string, string?> SettingsOf(PluginEntry entry) =>
        _pluginsSection.GetSection($"Items:{entry.Name}:Settings").AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);

    private string DataDirectoryOf(PluginEntry entry)
    {
        var dataDirectory = Path.GetFullPath(Path.Combine(_options.DataDirectory, entry.Name));
        Directory.CreateDirectory(dataDirectory);
        return dataDirectory;
    }

    /// <summary>The plugin in a child process (<see cref="IsolatedPlugin"/>), loaded there from the same shadow copy.</summary>
    private PluginInstance LoadIsolated(PluginEntry entry, int generation, string shadowFolder, string assemblyName)
    {
        var start = new PluginStart(entry.Name, Path.Combine(shadowFolder, assemblyName + ".dll"), entry.Options.Type, SettingsOf(entry),
            DataDirectoryOf(entry), _isolatedApi.Url, _isolatedApi.ApiKey);
        var plugin = new IsolatedPlugin(start, (long)entry.Options.MemoryLimitMiB << 20, _annotations, _loggers.CreateLogger("Plugin." + entry.Name));
        try
        {
            // Load is synchronous (the registry's callers hold no async context here); the child answers within seconds.
            var (version, typeName) = plugin.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            _logger.LogInformation("Plugin {Plugin} loaded isolated: {Type} {Version} (generation {Generation}) from {Folder}",
                entry.Name, typeName, version, generation, entry.Folder);
            return new PluginInstance(entry.Name, generation, version, typeName, shadowFolder, null, plugin);
        }
        catch
        {
            plugin.DisposeAsync().AsTask().GetAwaiter().GetResult();
            try { Directory.Delete(shadowFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// A plugin built against another major version of the contract would fail at its first call with a
    /// MissingMethodException; refusing it at load says why. Minor versions only add, so they load.
    /// </summary>
    internal static void CheckContract(Assembly assembly, string assemblyName)
    {
        var host = typeof(IFaceRouterPlugin).Assembly.GetName().Version!;
        var built = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == typeof(IFaceRouterPlugin).Assembly.GetName().Name)?.Version;
        if (built is not null && built.Major != host.Major)
            throw new RouterException(PluginErrorCodes.IncompatibleContract,
                $"{assemblyName}.dll was built against Router.Abstractions {built.ToString(3)}, and this host's is {host.ToString(3)}: " +
                $"rebuild the plugin against Router.Abstractions {host.Major}.x");
    }

    internal static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            // Drop the "+commit" suffix the SDK appends; operators compare versions, not hashes.
            int plus = informational.IndexOf('+');
            return plus > 0 ? informational[..plus] : informational;
        }
        return assembly.GetName().Version?.ToString() ?? "0.0.0";
    }
}
