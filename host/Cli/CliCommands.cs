using System.CommandLine;

namespace Router.Host.Cli;

/// <summary>Every command of the `router` executable.</summary>
internal static class CliCommands
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return BenchCommand.Create();
        yield return ReplayCommand.Create();
        yield return DetectCommand.Create();
        yield return CompareCommand.Create();
        yield return EvalCommand.Create();
        yield return ServeCommand.Create();
        yield return RunCommand.Create();
        yield return PluginProcessCommand.Create();
    }
}
