using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Router.Galleries;
using Router.Host.Api;
using Router.Host.Decoding;
using Router.Host.Demo;
using Router.Host.Events;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Host.Plugins;
using Router.Models.Faces;

namespace Router.Host.Composition;

/// <summary>
/// Finds configuration keys that nothing reads: a key inside one of Router's sections that no
/// option of that section has (<c>Api:Urls</c>, <c>Galleries:Stor</c>, a camera setting
/// <c>detect_fsp</c>), or a top-level key one typo away from a section (<c>Gallery</c>). The
/// binder ignores them silently, so a typo would quietly run on the default. Each is named with
/// the closest valid key (edit distance); start-up goes on.
/// </summary>
public static class ConfigurationKeyCheck
{
    /// <summary>Router's sections and what each binds to.</summary>
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [ApiOptions.Section] = typeof(ApiOptions),
        [GalleryOptions.Section] = typeof(GalleryOptions),
        [DecodingOptions.Section] = typeof(DecodingOptions),
        [EventsOptions.Section] = typeof(EventsOptions),
        [DemoOptions.Section] = typeof(DemoOptions),
        [CameraSourceOptions.Section] = typeof(CameraSourceOptions),
        [FaceModelsOptions.SectionName] = typeof(FaceModelsOptions),
        [PluginsOptions.SectionName] = typeof(PluginsOptions),
        [CamerasOptions.Section] = typeof(Dictionary<string, CamerasOptions.CameraEntry>),
        [ShutdownOptions.Section] = typeof(ShutdownOptions),
        [Telemetry.TelemetryOptions.Section] = typeof(Telemetry.TelemetryOptions),
    };

    /// <summary>Top-level keys read elsewhere (the host, ASP.NET Core, logging), never warned about.</summary>
    private static readonly string[] TopLevel = ["urls", "DataDir", "Logging", "Kestrel", "AllowedHosts", "contentRoot", "environment", "applicationName"];

    /// <summary>Free-form sub-sections, given as they are to their owner.</summary>
    private static readonly Dictionary<Type, string[]> FreeForm = new()
    {
        [typeof(PluginOptions)] = ["Settings"], // the plugin's own settings (IPluginContext)
    };

    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var section in configuration.GetChildren())
        {
            if (Sections.TryGetValue(section.Key, out var type)) Check(section, type, problems);
            else if (!TopLevel.Contains(section.Key, StringComparer.OrdinalIgnoreCase)
                     && Closest(section.Key, Sections.Keys) is { } near && Distance(section.Key, near) <= Math.Max(2, near.Length / 3))
                problems.Add($"configuration section '{section.Key}' is not known (ignored); did you mean '{near}'?");
        }
        return problems;
    }

    private static void Check(IConfigurationSection section, Type type, List<string> problems)
    {
        if (ElementType(type) is { } element)
        {
            // A dictionary or list: each child is a key or an index, bound to the element type.
            if (IsComplex(element))
                foreach (var child in section.GetChildren()) Check(child, element, problems);
            return;
        }
        var properties = Properties(type);
        FreeForm.TryGetValue(type, out var free);
        foreach (var child in section.GetChildren())
        {
            if (free?.Contains(child.Key, StringComparer.OrdinalIgnoreCase) == true) continue;
            if (properties.TryGetValue(child.Key, out var property))
            {
                if (IsComplex(property) || ElementType(property) is not null) Check(child, property, problems);
                continue;
            }
            var candidates = properties.Keys.Select(k => (Key: k, Path: $"{section.Path}:{k}"))
                .Concat(TopLevel.Select(k => (Key: k, Path: k)));
            var best = candidates.MinBy(c => Distance(child.Key, c.Key));
            problems.Add($"configuration key '{child.Path}' is not known (ignored)" + (best.Path is null ? "" : $"; did you mean '{best.Path}'?"));
        }
    }

    /// <summary>Configuration names of a type's public properties (ConfigurationKeyName where set).</summary>
    private static Dictionary<string, Type> Properties(Type type)
    {
        var names = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (p.GetIndexParameters().Length == 0)
                names[p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name] = p.PropertyType;
        return names;
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        foreach (var i in type.GetInterfaces().Append(type))
        {
            if (!i.IsGenericType) continue;
            var definition = i.GetGenericTypeDefinition();
            if (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)) return i.GetGenericArguments()[1];
        }
        foreach (var i in type.GetInterfaces().Append(type))
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) return i.GetGenericArguments()[0];
        return typeof(IEnumerable).IsAssignableFrom(type) ? typeof(object) : null;
    }

    /// <summary>A type the binder fills key by key (a class of options), not a value read from one string.</summary>
    private static bool IsComplex(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return !(type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
                 || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri) || type == typeof(object))
               && ElementType(type) is null;
    }

    private static string? Closest(string key, IEnumerable<string> candidates) => candidates.MinBy(c => Distance(key, c));

    /// <summary>Levenshtein distance, ignoring case.</summary>
    internal static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
