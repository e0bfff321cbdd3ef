using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Router.Abstractions;
using Router.Host.Ingest;

namespace Router.Host.Cameras;

/// <summary>
/// Turns a camera's JSON settings overrides into validated <see cref="CameraSettings"/>:
/// unknown names, wrong types and out-of-range values are BAD_PARAM naming the setting.
/// </summary>
public static class CameraSettingsOverrides
{
    private static readonly JsonSerializerOptions Strict = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static CameraSettings Apply(JsonObject overrides, IReadOnlyDictionary<string, string> labels)
    {
        CameraSettings settings;
        try
        {
            settings = overrides.Deserialize<CameraSettings>(Strict) ?? CameraSettings.Default;
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p ? "settings." + p[2..] : "settings";
            var name = UnknownMember(e.Message) is { Length: > 0 } member ? "settings." + member : path;
            throw RouterException.BadParam(name, ValueOf(overrides, name), $"invalid camera setting {name}: {FirstSentence(e.Message)}");
        }
        catch (ArgumentException e)
        {
            // A settings object parsed with a key twice ({"roi":..,"roi":..}) throws here, when its members are first read (found by fuzzing).
            throw RouterException.BadParam("settings", null, $"invalid camera settings: {FirstSentence(e.Message)}");
        }
        if (labels.Count > 0)
        {
            var merged = new Dictionary<string, string>(settings.Labels);
            foreach (var (k, v) in labels) merged[k] = v;
            settings = settings with { Labels = merged };
        }
        var problems = settings.Problems();
        if (problems.Count > 0)
        {
            var first = problems[0];
            var name = first[..first.IndexOf('=')];
            var value = first[(name.Length + 1)..first.IndexOf(':')];
            throw RouterException.BadParam("settings." + name, value, "invalid camera settings: " + string.Join("; ", problems));
        }
        return settings;
    }

    // "The JSON property 'foo' could not be mapped to any .NET member ..." names the unknown setting.
    /// <summary>The offending setting's JSON as given, for the error; null when it cannot be named.</summary>
    private static string? ValueOf(JsonObject overrides, string name)
    {
        if (!name.StartsWith("settings.", StringComparison.Ordinal)) return null;
        var key = name["settings.".Length..].Split('.', '[')[0];
        try { return overrides.TryGetPropertyValue(key, out var node) ? node?.ToJsonString() : null; }
        catch (ArgumentException) { return null; } // a key given twice
    }

    private static string? UnknownMember(string message)
    {
        const string marker = "The JSON property '";
        int i = message.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0 || !message.Contains("could not be mapped", StringComparison.Ordinal)) return null;
        int start = i + marker.Length, end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : null;
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
