using System.CommandLine;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Composition;

namespace Router.Host.Cli;

/// <summary>
/// `router run [--config FILE] [--Key=Value ...]`: the whole router (cameras, plugins,
/// galleries, HTTP API) until Ctrl-C or SIGTERM. On embedded defaults it runs the demo.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON configuration file (over the embedded defaults; ROUTER_* variables and --Key=Value go over it)" };
        var command = new Command("run", "Run the router: cameras, face routing to plugins, galleries and the HTTP API") { config };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var app = RouterHost.Build(RouterHost.CreateBuilder(parse.UnmatchedTokens.ToArray(), parse.GetValue(config)));
                await app.RunAsync(ct);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or FileNotFoundException or RouterException
                or System.IO.InvalidDataException or FormatException)
            {
                Console.Error.WriteLine("router run: " + e.Message);
                return 2;
            }
        });
        return command;
    }
}
