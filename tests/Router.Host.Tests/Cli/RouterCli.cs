using System.Diagnostics;
using System.Text.Json;

namespace Router.Host.Tests.Cli;

/// <summary>
/// Runs the built router.dll (copied next to the tests) as a child process, as a user would:
/// the real argument parsing, exit code, stdout and stderr. Assets come from the inherited
/// ROUTER_ASSETS or the asset cache above the test folder.
/// </summary>
public static class RouterCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The one JSON object a command prints on stdout.</summary>
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static Result Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "router.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("the router executable is not next to the tests", dll);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start router");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000)) { process.Kill(); throw new TimeoutException($"router {string.Join(' ', args)} did not finish"); }
        return new Result(process.ExitCode, stdout.Trim(), stderr.Result.Trim());
    }
}
