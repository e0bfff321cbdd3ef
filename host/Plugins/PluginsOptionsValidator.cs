using Microsoft.Extensions.Options;

namespace Router.Host.Plugins;

/// <summary>Checks the Plugins section at start-up, with messages that name the key to fix.</summary>
public sealed class PluginsOptionsValidator : IValidateOptions<PluginsOptions>
{
    public ValidateOptionsResult Validate(string? name, PluginsOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Directory)) errors.Add("Plugins:Directory must name a folder");
        if (string.IsNullOrWhiteSpace(o.DataDirectory)) errors.Add("Plugins:DataDirectory must name a folder");
        Positive(o.ProcessTimeout, "Plugins:ProcessTimeout", errors);
        Positive(o.PreprocessTimeout, "Plugins:PreprocessTimeout", errors);
        Positive(o.ShutdownTimeout, "Plugins:ShutdownTimeout", errors);
        Positive(o.DrainTimeout, "Plugins:DrainTimeout", errors);
        if (o.ReloadDebounce < TimeSpan.Zero) errors.Add("Plugins:ReloadDebounce must not be negative");
        if (o.MaxConcurrentCalls is < 1 or > 1024) errors.Add($"Plugins:MaxConcurrentCalls must be 1..1024 (got {o.MaxConcurrentCalls})");
        if (o.MaxQueuedCalls is < 0 or > 100_000) errors.Add($"Plugins:MaxQueuedCalls must be 0..100000 (got {o.MaxQueuedCalls})");
        if (o.QuarantineAfterTimeouts < 1) errors.Add($"Plugins:QuarantineAfterTimeouts must be at least 1 (got {o.QuarantineAfterTimeouts})");
        Positive(o.QuarantineDuration, "Plugins:QuarantineDuration", errors);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var n in o.Order)
        {
            if (string.IsNullOrWhiteSpace(n)) errors.Add("Plugins:Order holds an empty name");
            else if (!seen.Add(n)) errors.Add($"Plugins:Order names '{n}' twice");
        }
        foreach (var (n, p) in o.Items)
        {
            if (n.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || n is "." or "..")
                errors.Add($"Plugins:Items:{n} is not a valid folder name");
            if (p.ProcessTimeout is { } t) Positive(t, $"Plugins:Items:{n}:ProcessTimeout", errors);
            if (p.MemoryLimitMiB is < 64 or > 1 << 20) errors.Add($"Plugins:Items:{n}:MemoryLimitMiB must be 64..1048576 (an isolated plugin's heap limit)");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero) errors.Add($"{key} must be positive (got {value})");
    }
}
