namespace Router.Host.Composition;

/// <summary>
/// The "Shutdown" section: how long a stop (Ctrl-C, SIGTERM) may take in all. Cameras stop,
/// the queued events get <c>Events:DrainTimeout</c> to be routed (the rest are journaled), then the
/// plugins' ShutdownAsync runs; what has not finished by <see cref="Timeout"/> is abandoned with a
/// log line, never with an unhandled exception.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// 30 s, as before: the drain deadline (10 s), a plugin's in-flight calls and its ShutdownAsync
    /// (each bounded by the Plugins timeouts) fit; under the launcher's 60 s hard limit (Program.cs).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public static TimeSpan Max { get; } = TimeSpan.FromSeconds(55);

    public IEnumerable<string> Problems()
    {
        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > Max)
            yield return $"Shutdown:Timeout must be 00:00:01..00:00:55 (the process is ended at 60 s whatever happens), not {Timeout}";
    }
}
