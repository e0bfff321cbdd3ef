using Xunit;

namespace Router.Bench.Tests;

/// <summary>`router bench`'s command tree as Router.Bench gives it to the host: every subcommand with its options.</summary>
public class BenchCommandsTests
{
    [Fact]
    public void Bench_has_every_subcommand_with_its_options()
    {
        var bench = BenchCommands.Create();
        Assert.Equal("bench", bench.Name);
        var options = bench.Subcommands.ToDictionary(c => c.Name, c => c.Options.Select(o => o.Name).Order().ToArray());
        var expected = new Dictionary<string, string[]>
        {
            ["models"] = ["--batch", "--clients", "--max-wait-ms", "--provider", "--runs", "--threads"],
            ["pipeline"] = ["--cameras", "--clip", "--detect-fps", "--motion-gate", "--seconds"],
            ["latency"] = ["--appearances", "--modes", "--off-frames", "--on-frames", "--photo", "--set"],
            ["search"] = ["--batch", "--candidates", "--crash-changes", "--crossover", "--data", "--faces", "--photo-limit", "--photos", "--queries", "--variants"],
            ["isolation"] = ["--faces", "--plugin", "--plugins"],
            ["decode"] = ["--runs"],
        };
        Assert.Equal(expected.Keys.Order(), options.Keys.Order());
        foreach (var (name, names) in expected)
            Assert.Equal(names.Order(), options[name]);
    }

    [Fact]
    public void A_bad_option_is_a_parse_error()
    {
        var result = BenchCommands.Create().Parse(["search", "--faces", "many"]);
        Assert.NotEmpty(result.Errors);
        Assert.Empty(BenchCommands.Create().Parse(["search", "--faces", "2000"]).Errors);
    }
}
