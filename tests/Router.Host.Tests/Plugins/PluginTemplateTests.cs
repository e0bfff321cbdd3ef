using System.Diagnostics;
using Router.Host.Routing;
using Xunit;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// The plugin author's kit from nothing to a loaded plugin, as README shows it: Router.Abstractions
/// packed, the <c>router-plugin</c> template installed (in a private template hive), a plugin made
/// from it outside the repository and built against the package alone, then loaded by the host and
/// routed a face.
/// </summary>
public sealed class PluginTemplateTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "router-template-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task RunAsync(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed:\n{await stdout}\n{await stderr}");
    }

    /// <summary>Packs the contract as <paramref name="major"/>.0.0 (a version of its own, so the restore takes this package and not one
    /// cached by an earlier run), makes a plugin from the template against it and builds it; returns its output folder.</summary>
    private async Task<string> BuildFromTemplateAsync(string name, int major, int minor = 0)
    {
        var repo = ProbePluginBuild.RepoRoot();
        var feed = Path.Combine(_work, "feed");
        var hive = Path.Combine(_work, "hive");
        Directory.CreateDirectory(_work);
        var version = $"{major}.{minor}.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(1000)}";
        // Compiled into folders of its own: other tests build the contract in place meanwhile (the probe plugin references it).
        await RunAsync(repo, "pack", Path.Combine(repo, "abstractions", "Router.Abstractions.csproj"), "-c", "Release", "-o", feed,
            $"-p:Version={version}", $"-p:AssemblyVersion={major}.{minor}.0.0",
            $"-p:OutputPath={Path.Combine(_work, "pack-bin", name)}/", $"-p:IntermediateOutputPath={Path.Combine(_work, "pack-obj", name)}/", "-nologo", "-v:q");
        await RunAsync(_work, "new", "install", Path.Combine(repo, "templates", "router-plugin"), "--debug:custom-hive", hive, "--force");
        await RunAsync(_work, "new", "router-plugin", "-n", name, "-o", name, "--routerVersion", version, "--debug:custom-hive", hive);
        var project = Path.Combine(_work, name);
        await RunAsync(project, "build", "-c", "Release", "-nologo", "-v:q", "--source", feed, "--source", "https://api.nuget.org/v3/index.json");
        return Path.Combine(project, "bin", "Release", "net10.0");
    }

    [Fact]
    public async Task A_plugin_built_against_another_major_version_of_the_contract_is_refused_at_load()
    {
        var output = await BuildFromTemplateAsync("Future", major: 2);
        await using var h = new PluginHostHarness(new Dictionary<string, string?> { ["Plugins:Items:future:Assembly"] = "Future" });
        ProbePluginBuild.CopyTo(output, h.PluginsDirectory, "future");
        await h.StartAsync();
        var entry = h.Registry.Find("future")!;
        Assert.Equal((Router.Host.Plugins.PluginState.Failed, Router.Host.Plugins.PluginErrorCodes.IncompatibleContract), (entry.State, entry.ErrorCode));
        Assert.Contains("Router.Abstractions 2.0.0", entry.Error);
    }

    [Fact]
    public async Task A_plugin_built_against_a_later_minor_version_of_the_contract_loads()
    {
        // Router.Abstractions 1.5.0.0 asked for, the host's is 1.0.0.0: the contract check lets it
        // through, and the package hands it the host's copy (measured: no fallback of ours needed).
        var output = await BuildFromTemplateAsync("Later", major: 1, minor: 5);
        await using var h = new PluginHostHarness(new Dictionary<string, string?> { ["Plugins:Items:later:Assembly"] = "Later" });
        ProbePluginBuild.CopyTo(output, h.PluginsDirectory, "later");
        await h.StartAsync();
        var entry = h.Registry.Find("later")!;
        Assert.True(entry.State == Router.Host.Plugins.PluginState.Loaded, $"{entry.State} {entry.ErrorCode}: {entry.Error}");
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(h.Registry.GetPlugin("later")!.GetType().Assembly)!;
        Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "Router.Abstractions");
        await h.Router.RouteAsync(PluginHostHarness.SampleFace(), 8, null, CancellationToken.None);
        Assert.Equal("a stranger", h.Annotations.Take(8)!["later"]["who"]);
    }

    [Fact]
    public async Task A_plugin_made_from_the_template_builds_against_the_package_and_loads()
    {
        var output = await BuildFromTemplateAsync("Greeter", major: 1);
        Assert.True(File.Exists(Path.Combine(output, "Greeter.dll")));
        // The contract and logging come from the host: the package keeps them out of the plugin's folder.
        Assert.False(File.Exists(Path.Combine(output, "Router.Abstractions.dll")));
        Assert.False(File.Exists(Path.Combine(output, "Microsoft.Extensions.Logging.Abstractions.dll")));

        await using var h = new PluginHostHarness(new Dictionary<string, string?> { ["Plugins:Items:greeter:Assembly"] = "Greeter" });
        ProbePluginBuild.CopyTo(output, h.PluginsDirectory, "greeter");
        await h.StartAsync();
        Assert.Equal(Router.Host.Plugins.PluginState.Loaded, h.Registry.Find("greeter")!.State);
        var result = await h.Router.RouteAsync(PluginHostHarness.SampleFace(), 7, null, CancellationToken.None);
        Assert.Equal(Router.Host.Routing.PluginCallOutcome.Processed, Assert.Single(result.Calls, c => c.Plugin == "greeter" && c.Outcome != Router.Host.Routing.PluginCallOutcome.NotInterested).Outcome);
        Assert.Equal("a stranger", h.Annotations.Take(7)!["greeter"]["who"]);
    }
}
