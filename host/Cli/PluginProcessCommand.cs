using System.CommandLine;
using Router.Host.Plugins.Isolation;

namespace Router.Host.Cli;

/// <summary>
/// `router plugin-process`: the child process of an isolated plugin, started by the host (not by
/// hand): it reads the plugin to load and then the host's calls from stdin (<see cref="PluginProcess"/>).
/// </summary>
internal static class PluginProcessCommand
{
    public static Command Create()
    {
        var command = new Command("plugin-process", "Run one isolated plugin for a host over stdin/stdout (started by the host)") { Hidden = true };
        command.SetAction((_, _) => PluginProcess.RunAsync());
        return command;
    }
}
