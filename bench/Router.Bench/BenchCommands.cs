using System.CommandLine;

namespace Router.Bench;

/// <summary>
/// `router bench ...`: benchmarks that print their figures (ms per operation, fps, memory). The host's
/// `bench` command (host/Cli/BenchCommand.cs) is this command, loaded from Router.Bench.dll.
/// </summary>
public static class BenchCommands
{
    public static Command Create()
    {
        var command = new Command("bench", "Run a benchmark and print its figures");
        foreach (var sub in Subcommands())
            command.Subcommands.Add(sub);
        return command;
    }

    private static IEnumerable<Command> Subcommands()
    {
        yield return BenchModelsCommand.Create();
        yield return BenchPipelineCommand.Create();
        yield return BenchLatencyCommand.Create();
        yield return BenchSearchCommand.Create();
        yield return BenchIsolationCommand.Create();
        yield return BenchDecodeCommand.Create();
    }
}
