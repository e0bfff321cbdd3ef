using System.Globalization;
using Microsoft.Extensions.Configuration.Memory;

namespace Router.Host.Composition;

/// <summary>
/// The configuration layers of `router run`, lowest first: the embedded defaults
/// (<c>appsettings.json</c> inside router.dll), the paths derived from <c>DataDir</c>, the
/// <c>--config</c> JSON file, environment variables (<c>ROUTER_</c>, <c>__</c> between
/// sections), the command line (<c>--Key=Value</c>), and the caller's overrides (tests).
/// </summary>
public static class RouterConfiguration
{
    public const string EnvironmentPrefix = "ROUTER_";
    private const string ResourceName = "Router.Host.Composition.appsettings.json";

    public static void Configure(ConfigurationManager configuration, string[] args, string? configFile, IDictionary<string, string?>? overrides)
    {
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(Defaults());
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path)) throw new FileNotFoundException($"configuration file {path} does not exist", path);
            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args);
        if (overrides is not null) configuration.AddInMemoryCollection(overrides);
        // Derived from the final DataDir, but below every explicit layer: any of them can still set a path.
        configuration.Sources.Insert(1, new MemoryConfigurationSource { InitialData = Derived(configuration) });
    }

    /// <summary>The embedded defaults (the demo that runs with nothing else installed), flattened to keys.</summary>
    /// <remarks>Read once into memory: a ConfigurationManager reloads its sources at every change, and a stream reads only once.</remarks>
    public static IEnumerable<KeyValuePair<string, string?>> Defaults()
    {
        using var stream = typeof(RouterConfiguration).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from router.dll");
        return new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable().Where(kv => kv.Value is not null).ToList();
    }

    private static Dictionary<string, string?> Derived(ConfigurationManager configuration)
    {
        var data = Path.GetFullPath(configuration["DataDir"] is { Length: > 0 } d ? d : "data");
        var derived = new Dictionary<string, string?>
        {
            ["DataDir"] = data,
            ["Galleries:DataDir"] = data,
            ["Plugins:DataDirectory"] = Path.Combine(data, "plugins"),
            ["Events:JournalPath"] = Path.Combine(data, "events-journal.jsonl"),
            // The launcher builds the sample plugins next to router.dll.
            ["Plugins:Directory"] = Path.Combine(AppContext.BaseDirectory, "plugins"),
            // Cameras may read local files from the data folder only, unless configured otherwise.
            ["CameraSources:FileDirectories:0"] = data,
        };
        if (!bool.TryParse(configuration["Demo:Enabled"], out var demo) || demo)
        {
            var video = configuration["Demo:Video"] is { Length: > 0 } v ? Path.GetFullPath(v) : Path.Combine(data, "demo", "demo.mp4");
            derived["Demo:Video"] = video;
            derived["Cameras:demo:Url"] = video;
            if (Path.GetDirectoryName(video) is { } videoDir && !videoDir.StartsWith(data, StringComparison.Ordinal))
                derived["CameraSources:FileDirectories:1"] = videoDir;
            // Real speed, looping for ever: a live camera made of the sample photos.
            derived["Cameras:demo:Settings:play_speed"] = "1";
            derived["Cameras:demo:Settings:ffmpeg_params:0"] = "-stream_loop";
            derived["Cameras:demo:Settings:ffmpeg_params:1"] = "-1";
            derived["Cameras:demo:Settings:labels:source"] = "demo";
            derived["Cameras:demo:Settings:detect_fps"] = 5.ToString(CultureInfo.InvariantCulture);
            // What serves a watchlist: a track's first face is routed at once (a name in well under a second,
            // `router bench latency`), then each second's best face when it beats what was posted (README).
            derived["Cameras:demo:Settings:bs_type"] = "realtime";
            derived["Cameras:demo:Settings:realtime_post_first_immediately"] = "true";
        }
        return derived;
    }
}
