using System.Text;

namespace Router.Plugins.Mqtt;

/// <summary>
/// The topics the plugin publishes, in Double Take's layout under a configurable prefix
/// (<c>router/matches/NAME</c>, <c>router/cameras/CAMERA</c>, <c>router/available</c>), plus the
/// retained per-person last-seen topic <c>router/people/NAME</c> that the Home Assistant sensors read.
/// </summary>
public sealed class MqttTopics(string prefix)
{
    public string Prefix { get; } = prefix;
    public string Available => $"{Prefix}/available";
    public string Match(string name) => $"{Prefix}/matches/{Level(name)}";
    public string Camera(string camera) => $"{Prefix}/cameras/{Level(camera)}";
    public string Person(string name) => $"{Prefix}/people/{Level(name)}";

    /// <summary>
    /// A name as one topic level: whitespace becomes '-' as in Double Take ("John Smith" →
    /// matches/John-Smith); '/', '+' and '#' (level separator and wildcards) become '_', because a
    /// name must never add a level or turn a topic into a filter.
    /// </summary>
    public static string Level(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
            b.Append(char.IsWhiteSpace(c) ? '-' : c is '/' or '+' or '#' or '\0' ? '_' : c);
        return b.Length == 0 ? "_" : b.ToString();
    }

    /// <summary>A Home Assistant object or node id: lower case, [a-z0-9_-] only (HA's rule for discovery topics).</summary>
    public static string ObjectId(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (var c in name.Trim().ToLowerInvariant())
            b.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' ? c : '_');
        return b.Length == 0 ? "_" : b.ToString();
    }
}
