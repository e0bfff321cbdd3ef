namespace Router.Host.Plugins;

/// <summary>One plugin as GET /v1/plugins shows it.</summary>
public sealed record PluginInfo(
    string Name, string? Version, string State, string? ErrorCode, string? Error,
    string? Type, int? Generation, DateTimeOffset? LoadedAt, int Reloads, PluginCountersSnapshot Counters);
