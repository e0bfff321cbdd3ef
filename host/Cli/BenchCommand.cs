using System.CommandLine;
using System.Reflection;
using System.Runtime.Loader;
using Router.Abstractions;

namespace Router.Host.Cli;

/// <summary>
/// `router bench ...`: the front end of the benchmarks, which live in bench/Router.Bench, out of
/// the shipped assemblies. Router.Bench.dll (built beside router.dll by ./router) provides the
/// command with its subcommands; without it `router bench` says how to get it.
/// </summary>
internal static class BenchCommand
{
    public const string AssemblyName = "Router.Bench";

    public static Command Create()
    {
        // Loaded only in a `router bench ...` process: every other command starts without it. Where the
        // process's own arguments are not the ones parsed (a command tree built in process), the
        // benchmarks are loaded when `bench` runs and given its arguments.
        var args = Environment.GetCommandLineArgs();
        if (args.Length > 1 && args[1] == "bench") return Load();
        var command = new Command("bench", Description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((parse, ct) => Load().Parse(parse.UnmatchedTokens).InvokeAsync(cancellationToken: ct));
        return command;
    }

    private const string Description = "Run a benchmark and print its figures";

    private static Command Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll");
        if (!File.Exists(path))
            return Unavailable(ErrorCodes.NotFound, $"{path} is missing: ./router builds it, or dotnet build bench/Router.Bench and copy {AssemblyName}.dll beside router.dll");
        try
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            var create = assembly.GetType("Router.Bench.BenchCommands", throwOnError: true)!.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes);
            return create?.Invoke(null, null) as Command ?? Unavailable(ErrorCodes.UnknownError, $"{path} has no Router.Bench.BenchCommands.Create()");
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or TypeLoadException or TargetInvocationException or MissingMethodException)
        {
            // A Router.Bench.dll from another build: an error naming it, not a stack trace.
            return Unavailable(ErrorCodes.UnknownError, $"{path} could not be loaded ({e.GetBaseException().Message}): rebuild it with this router.dll (./router does)");
        }
    }

    private static Command Unavailable(string code, string reason)
    {
        var command = new Command("bench", Description + " (needs Router.Bench.dll beside router.dll)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(_ => CliErrors.Print(Console.Out, code, "the benchmarks are not installed: " + reason, null, null));
        return command;
    }
}
