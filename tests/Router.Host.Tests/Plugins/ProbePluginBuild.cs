using System.Diagnostics;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// Builds the probe test plugin (tests/plugins/Router.TestPlugins.Probe) from its own project,
/// against Router.Abstractions only, once per test run and per variant, and hands out its output
/// folder. Building here rather than referencing it keeps the plugin out of the test's own load
/// context: it is loaded only the way the host loads plugins.
/// </summary>
public static class ProbePluginBuild
{
    public const string AssemblyName = "Router.TestPlugins.Probe";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, string> Built = new();

    public static Task<string> OutputOfAsync(string variant) => BuildAsync(AssemblyName, variant);

    /// <summary>Another test plugin of tests/plugins, built the same way (one variant, output bin/Release/net10.0).</summary>
    public static Task<string> OutputOfPluginAsync(string assemblyName) => BuildAsync(assemblyName, null);

    private static async Task<string> BuildAsync(string assemblyName, string? variant)
    {
        await Gate.WaitAsync();
        try
        {
            var key = assemblyName + "/" + variant;
            if (Built.TryGetValue(key, out var done)) return done;
            var project = Path.Combine(RepoRoot(), "tests", "plugins", assemblyName, assemblyName + ".csproj");
            List<string> args = ["build", project, "-c", "Release", "-nologo", "-v:q"];
            if (variant is not null) args.Add($"-p:ProbeVariant={variant}");
            var psi = new ProcessStartInfo("dotnet", args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"building {assemblyName} ({variant}) failed:\n{await stdout}\n{await stderr}");
            var output = variant is null
                ? Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net10.0")
                : Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", variant, "net10.0");
            if (!File.Exists(Path.Combine(output, assemblyName + ".dll")))
                throw new InvalidOperationException($"the build of {assemblyName} left no dll in {output}");
            Built[key] = output;
            return output;
        }
        finally { Gate.Release(); }
    }

    /// <summary>Copies a built plugin into <paramref name="pluginsDirectory"/>/<paramref name="name"/>.</summary>
    public static void CopyTo(string buildOutput, string pluginsDirectory, string name)
    {
        var target = Path.Combine(pluginsDirectory, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(buildOutput))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Router.sln"))) return dir.FullName;
        throw new InvalidOperationException("Router.sln not found above " + AppContext.BaseDirectory);
    }
}
