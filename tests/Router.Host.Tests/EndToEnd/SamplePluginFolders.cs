using System.Diagnostics;
using Router.Host.Tests.Plugins;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// The real sample plugins (plugins/*), built from their own projects and copied into a test's
/// plugins folder under their host names (watchlist, visitors, eventlog, mqtt), as the launcher does.
/// </summary>
public static class SamplePluginFolders
{
    public static readonly IReadOnlyDictionary<string, string> Projects = new Dictionary<string, string>
    {
        ["watchlist"] = "Watchlist", ["visitors"] = "Visitors", ["eventlog"] = "EventLog", ["mqtt"] = "Mqtt",
    };

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string AssemblyOf(string name) => "Router.Plugins." + Projects[name];

    /// <summary>Copies the build of each named plugin into <paramref name="pluginsDirectory"/>/NAME, building it first if needed.</summary>
    public static async Task CopyAsync(string pluginsDirectory, params string[] names)
    {
        foreach (var name in names)
        {
            var folder = Path.Combine(ProbePluginBuild.RepoRoot(), "plugins", Projects[name]);
            var output = Path.Combine(folder, "bin", "Release", "net10.0");
            await Gate.WaitAsync();
            try
            {
                if (!File.Exists(Path.Combine(output, AssemblyOf(name) + ".dll"))) await BuildAsync(Path.Combine(folder, $"{AssemblyOf(name)}.csproj"));
            }
            finally { Gate.Release(); }
            ProbePluginBuild.CopyTo(output, pluginsDirectory, name);
        }
    }

    private static async Task BuildAsync(string project)
    {
        var psi = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-nologo", "-v:q"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        if (process.ExitCode != 0) throw new InvalidOperationException($"building {project} failed:\n{await stdout}");
    }
}
