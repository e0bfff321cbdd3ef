using System.Globalization;

namespace Router.Abstractions;

/// <summary>
/// Typed reads of <see cref="IPluginContext.Settings"/> (the plugin's flattened configuration
/// section), so that a plugin referencing only this assembly can read its options without
/// Microsoft.Extensions.Configuration. A value that is present but unreadable is BAD_PARAM
/// naming the key, so a misconfigured plugin fails to load with a clear message.
/// </summary>
public static class PluginSettingsExtensions
{
    public static string? GetString(this IReadOnlyDictionary<string, string?> settings, string key, string? fallback = null) =>
        Find(settings, key) is { Length: > 0 } v ? v : fallback;

    public static string RequireString(this IReadOnlyDictionary<string, string?> settings, string key) =>
        Find(settings, key) is { Length: > 0 } v ? v : throw RouterException.BadParam(key, null, $"setting '{key}' is required");

    public static int GetInt(this IReadOnlyDictionary<string, string?> settings, string key, int fallback) =>
        Find(settings, key) is { Length: > 0 } v
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
                : throw RouterException.BadParam(key, v, $"setting '{key}' must be an integer")
            : fallback;

    public static double GetDouble(this IReadOnlyDictionary<string, string?> settings, string key, double fallback) =>
        Find(settings, key) is { Length: > 0 } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                : throw RouterException.BadParam(key, v, $"setting '{key}' must be a number")
            : fallback;

    public static bool GetBool(this IReadOnlyDictionary<string, string?> settings, string key, bool fallback) =>
        Find(settings, key) is { Length: > 0 } v
            ? bool.TryParse(v, out var b) ? b : throw RouterException.BadParam(key, v, $"setting '{key}' must be true or false")
            : fallback;

    /// <summary>A duration as "hh:mm:ss" (TimeSpan) or as a number of seconds.</summary>
    public static TimeSpan GetDuration(this IReadOnlyDictionary<string, string?> settings, string key, TimeSpan fallback)
    {
        if (Find(settings, key) is not { Length: > 0 } v) return fallback;
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        if (TimeSpan.TryParse(v, CultureInfo.InvariantCulture, out var span)) return span;
        throw RouterException.BadParam(key, v, $"setting '{key}' must be a duration (hh:mm:ss) or a number of seconds");
    }

    /// <summary>
    /// A list: the array form <c>key:0</c>, <c>key:1</c>, ... (JSON arrays in configuration), or a
    /// comma-separated string under <c>key</c> itself (environment variables, command line).
    /// </summary>
    public static IReadOnlyList<string> GetList(this IReadOnlyDictionary<string, string?> settings, string key)
    {
        var items = new List<(int Index, string Value)>();
        var prefix = key + ":";
        foreach (var (k, v) in settings)
        {
            if (v is null || !k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            if (int.TryParse(k.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                items.Add((index, v));
        }
        if (items.Count > 0) return items.OrderBy(i => i.Index).Select(i => i.Value).ToArray();
        return Find(settings, key) is { Length: > 0 } csv
            ? csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
    }

    // Configuration keys are case-insensitive; plugins should not care how the operator spelled them.
    private static string? Find(IReadOnlyDictionary<string, string?> settings, string key)
    {
        if (settings.TryGetValue(key, out var value)) return value;
        foreach (var (k, v) in settings)
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }
}
