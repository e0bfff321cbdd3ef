using Router.Host.Composition;
using System.CommandLine;
using Router.Host.Api;
using Router.Host.Faces;

namespace Router.Host.Cli;

/// <summary>`router serve`: the HTTP API alone, on embedded defaults (SQLite under --data).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on", DefaultValueFactory = _ => ApiServer.DefaultUrls };
        var data = new Option<string>("--data") { Description = "Data folder (SQLite store)", DefaultValueFactory = _ => "./data" };
        var command = new Command("serve", "Run the HTTP API (galleries, detection) on its own") { urls, data };
        command.SetAction(async (parse, ct) =>
        {
            var overrides = new Dictionary<string, string?>
            {
                ["urls"] = parse.GetValue(urls),
                ["Galleries:DataDir"] = parse.GetValue(data),
            };
            try
            {
                var builder = ApiHost.CreateBuilder([], overrides);
                builder.Services.AddFaceModels(builder.Configuration); // POST /v1/detect and adds from images need the models
                var app = ApiHost.Build(builder);
                await app.RunAsync(ct);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException or Router.Abstractions.RouterException)
            {
                Console.Error.WriteLine("router serve: " + e.Message);
                return 2;
            }
        });
        return command;
    }
}
