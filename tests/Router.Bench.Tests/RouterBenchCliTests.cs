using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Router.Bench.Tests;

/// <summary>
/// `router bench` through the built router.dll (copied next to the tests with Router.Bench.dll, as
/// ./router lays them out): the host's front end loads the benchmarks and they print their figures.
/// </summary>
public class RouterBenchCliTests
{
    private static (int ExitCode, string Stdout, string Stderr) Router(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "router.dll");
        Assert.True(File.Exists(dll), $"router.dll is not next to the tests: {dll}");
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Router.Bench.dll")), "Router.Bench.dll is not next to the tests");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start router");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000)) { process.Kill(); throw new TimeoutException($"router {string.Join(' ', args)} did not finish"); }
        return (process.ExitCode, stdout.Trim(), stderr.Result.Trim());
    }

    [Fact]
    public void The_host_lists_the_benchmarks_of_Router_Bench()
    {
        var (exit, stdout, stderr) = Router("bench", "--help");
        Assert.True(exit == 0, stderr);
        foreach (var sub in new[] { "models", "pipeline", "latency", "search", "isolation", "decode" })
            Assert.Contains($"  {sub} ", stdout);
    }

    [Fact]
    public void Bench_decode_prints_its_figures_through_the_host()
    {
        var (exit, stdout, stderr) = Router("bench", "decode", "--runs", "5");
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        var json = JsonDocument.Parse(stdout.Split('\n')[^1]).RootElement;
        Assert.Equal(5, json.GetProperty("runs").GetInt32());
        var results = json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(8, results.Count);
        Assert.All(results, r => Assert.True(r.GetProperty("median_ms").GetDouble() > 0));
    }
}
