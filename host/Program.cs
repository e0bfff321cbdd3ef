using System.CommandLine;
using Router.Host.Cli;

// The `router` command line. Each command lives in host/Cli, one file per command.
var root = new RootCommand("Router: plugin-based face router and video analytics host");
foreach (var command in CliCommands.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
