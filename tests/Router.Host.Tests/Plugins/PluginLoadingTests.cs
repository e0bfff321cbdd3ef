using Router.Host.Routing;
using Router.Abstractions;
using Router.Host.Plugins;
using Xunit;

namespace Router.Host.Tests.Plugins;

public sealed class PluginLoadingTests
{
    [Fact]
    public async Task BrokenMissingAndDisabledPlugins_AreReportedAndSkipped_TheGoodOneLoads()
    {
        await using var h = new PluginHostHarness(new Dictionary<string, string?>
        {
            ["Plugins:Items:good:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:off:Assembly"] = ProbePluginBuild.AssemblyName,
            ["Plugins:Items:off:Enabled"] = "false",
            ["Plugins:Items:ghost:Enabled"] = "true",
            ["Plugins:Order:0"] = "good",
        });
        var build = await ProbePluginBuild.OutputOfAsync("V1");
        ProbePluginBuild.CopyTo(build, h.PluginsDirectory, "good");
        ProbePluginBuild.CopyTo(build, h.PluginsDirectory, "off");
        // A folder whose "assembly" is not one.
        Directory.CreateDirectory(Path.Combine(h.PluginsDirectory, "junk"));
        File.WriteAllText(Path.Combine(h.PluginsDirectory, "junk", "junk.dll"), "not a PE file");
        // A real assembly without any plugin class: Router.Abstractions itself.
        Directory.CreateDirectory(Path.Combine(h.PluginsDirectory, "Router.Abstractions"));
        File.Copy(typeof(IFaceRouterPlugin).Assembly.Location, Path.Combine(h.PluginsDirectory, "Router.Abstractions", "Router.Abstractions.dll"));

        await h.StartAsync();

        Assert.Equal("good", h.Registry.Entries[0].Name);
        Assert.Equal(PluginState.Loaded, h.Registry.Find("good")!.State);
        Assert.Equal(PluginState.Disabled, h.Registry.Find("off")!.State);
        Assert.Equal((PluginState.Failed, PluginErrorCodes.LoadError), (h.Registry.Find("ghost")!.State, h.Registry.Find("ghost")!.ErrorCode));
        Assert.Equal((PluginState.Failed, PluginErrorCodes.LoadError), (h.Registry.Find("junk")!.State, h.Registry.Find("junk")!.ErrorCode));
        Assert.Equal(PluginErrorCodes.NoPluginType, h.Registry.Find("Router.Abstractions")!.ErrorCode);

        var result = await h.Router.RouteAsync(PluginHostHarness.SampleFace(), 1, null, CancellationToken.None);
        Assert.Equal(["good"], result.Calls.Select(c => c.Plugin));
        Assert.Single(h.Received("good"));
    }

    [Fact]
    public async Task PluginSharesTheHostContract_AndKeepsItsAssemblyInItsOwnCollectibleContext()
    {
        await using var h = new PluginHostHarness(new Dictionary<string, string?> { ["Plugins:Items:p:Assembly"] = ProbePluginBuild.AssemblyName });
        ProbePluginBuild.CopyTo(await ProbePluginBuild.OutputOfAsync("V1"), h.PluginsDirectory, "p");
        await h.StartAsync();
        var plugin = h.Registry.GetPlugin("p")!;
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(plugin.GetType().Assembly)!;
        // McMaster.NETCore.Plugins' context, one of its own per generation.
        Assert.Equal("McMaster.NETCore.Plugins.Loader.ManagedLoadContext", context.GetType().FullName);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, context);
        Assert.True(context.IsCollectible);
        // Loaded from the shadow copy, never from the plugins folder, so the folder can be overwritten.
        Assert.StartsWith(Path.Combine(h.Root, "shadow"), plugin.GetType().Assembly.Location);
        Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "Router.Abstractions");
    }

    [Fact]
    public async Task A_private_dependency_of_another_version_than_the_hosts_stays_private()
    {
        const string name = "Router.TestPlugins.PrivateDependency";
        // The host (Router.Models) has System.Numerics.Tensors 10.0.x; the plugin ships 9.0.0.
        var hostVersion = typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.GetName().Version!;
        Assert.Equal(10, hostVersion.Major);
        await using var h = new PluginHostHarness(new Dictionary<string, string?> { ["Plugins:Items:dep:Assembly"] = name });
        ProbePluginBuild.CopyTo(await ProbePluginBuild.OutputOfPluginAsync(name), h.PluginsDirectory, "dep");
        await h.StartAsync();
        Assert.Equal(PluginState.Loaded, h.Registry.Find("dep")!.State);
        // With PreferSharedTypes = true this reads "10.0.0.14 host 6" (measured): the host's copy.
        Assert.Equal("9.0.0.0 plugin 6", File.ReadAllText(Path.Combine(h.DataOf("dep"), "dependency.txt")));
        // The shared contract is still the host's: the plugin is the host's IFaceRouterPlugin.
        Assert.IsAssignableFrom<IFaceRouterPlugin>(h.Registry.GetPlugin("dep"));
    }

    [Fact]
    public void InvalidOptions_FailValidationWithTheKeyToFix()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new PluginHostHarness(new Dictionary<string, string?>
        {
            ["Plugins:ProcessTimeout"] = "00:00:00",
        }));
        Assert.Contains("Plugins:ProcessTimeout", e.Message);
    }
}
