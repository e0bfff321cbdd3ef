using System.CommandLine;
using System.Reflection;

namespace Router.Host.Cli;

/// <summary>`router version`: the host version and the runtime it runs on.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the Router version and runtime");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            Console.WriteLine($"router {version} (.NET {Environment.Version})");
            return 0;
        });
        return command;
    }
}
