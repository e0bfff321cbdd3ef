namespace Router.Host.Plugins;

/// <summary>
/// One plugin as GET /v1/plugins shows it. <c>State</c> is "quarantined" while it is out for
/// timing out (until <c>QuarantinedUntil</c>); <c>Running</c> and <c>Queued</c> are its calls now.
/// </summary>
public sealed record PluginInfo(
    string Name, string? Version, string State, string? ErrorCode, string? Error,
    string? Type, int? Generation, DateTimeOffset? LoadedAt, int Reloads, PluginCountersSnapshot Counters,
    DateTimeOffset? QuarantinedUntil = null, int Quarantines = 0, int Running = 0, int Queued = 0,
    PluginIsolation Isolation = PluginIsolation.InProcess, int? ProcessId = null, int ProcessRestarts = 0);
