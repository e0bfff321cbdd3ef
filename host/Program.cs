using System.CommandLine;
using Router.Host.Cli;

// The `router` command line. Each command lives in host/Cli, one file per command.
var root = new RootCommand("Router: plugin-based face router and video analytics host");
foreach (var command in CliCommands.All())
    root.Subcommands.Add(command);
// Ctrl-C cancels the command's token; a stopping host (router run: cameras, event drain,
// plugin shutdown) gets up to a minute before the process is ended anyway.
var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
// Once the command is done the process ends, even if a plugin left a foreground thread running
// (returning from Main would wait for it for ever: SIGTERM would not end the process).
Environment.Exit(exitCode);
return exitCode;
