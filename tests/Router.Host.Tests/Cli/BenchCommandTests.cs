using Xunit;

namespace Router.Host.Tests.Cli;

/// <summary>
/// `router bench` is a front end: the benchmarks live in Router.Bench.dll (bench/Router.Bench), which
/// is not beside the router.dll these tests run, so the command says what is missing.
/// </summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void Without_Router_Bench_the_bench_command_names_what_is_missing()
    {
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "Router.Bench.dll")));
        var result = RouterCli.Run("bench", "search", "--faces", "2000");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("NOT_FOUND", result.Json.GetProperty("code").GetString());
        Assert.Contains("Router.Bench.dll", result.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public void The_other_commands_do_not_need_Router_Bench()
    {
        var result = RouterCli.Run("version");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("router ", result.Stdout);
    }
}
