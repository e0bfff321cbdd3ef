using System.Text.Json;
using Xunit;

namespace Router.Host.Tests.Cli;

/// <summary>What every failing command must look like: one {"code","reason"} JSON on stdout, non-zero exit, no stack trace.</summary>
public static class CliAssert
{
    public static void Error(RouterCli.Result result, string code)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        var json = result.Json;
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("reason").GetString()), result.ToString());
        foreach (var text in new[] { result.Stdout, result.Stderr })
        {
            Assert.DoesNotContain("   at ", text);
            Assert.DoesNotContain("Exception", text);
        }
    }
}
