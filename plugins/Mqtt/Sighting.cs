using Router.Abstractions;

namespace Router.Plugins.Mqtt;

/// <summary>Double Take's three outcomes for one face.</summary>
public enum SightingKind
{
    /// <summary>Someone watched, at or over the threshold.</summary>
    Match,
    /// <summary>A watched person's look-alike: over miss_threshold, under the threshold.</summary>
    Miss,
    /// <summary>No watched person came close.</summary>
    Unknown,
}

/// <summary>What the watched galleries made of one face: the outcome, and for a match or miss the best face with its name.</summary>
public sealed record Sighting(SightingKind Kind, Face? Face, string? Name, TimeSpan SearchTime);
