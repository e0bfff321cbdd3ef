using Xunit;

namespace Router.Host.Tests.Cli;

/// <summary>`router compare` on real photos and bad inputs, through the built executable.</summary>
public sealed class CompareCommandTests(CliInputFiles files) : IClassFixture<CliInputFiles>
{
    [Fact]
    public void The_same_photo_rescaled_and_recompressed_matches()
    {
        var result = RouterCli.Run("compare", files.Sample1, files.Rescaled);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Json.GetProperty("is_match").GetBoolean(), result.ToString());
        Assert.InRange(result.Json.GetProperty("similarity").GetSingle(), 0.8f, 1.0001f);
    }

    [Fact]
    public void Different_photos_do_not_match()
    {
        var result = RouterCli.Run("compare", files.Sample1, files.Sample2);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(result.Json.GetProperty("is_match").GetBoolean(), result.ToString());
    }

    [Fact]
    public void A_given_threshold_is_used()
    {
        var result = RouterCli.Run("compare", files.Sample1, files.Sample2, "--threshold", "-1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(-1f, result.Json.GetProperty("threshold").GetSingle());
        Assert.True(result.Json.GetProperty("is_match").GetBoolean(), result.ToString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("NaN")]
    public void A_bad_threshold_is_BAD_PARAM(string threshold) =>
        CliAssert.Error(RouterCli.Run("compare", files.Sample1, files.Rescaled, "--threshold", threshold), "BAD_PARAM");

    [Fact]
    public void A_missing_file_is_NOT_FOUND()
    {
        CliAssert.Error(RouterCli.Run("compare", files.Missing, files.Sample1), "NOT_FOUND");
        CliAssert.Error(RouterCli.Run("compare", files.Sample1, files.Missing), "NOT_FOUND");
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("random")]
    public void Bad_image_bytes_are_MALFORMED_REQUEST(string which) =>
        CliAssert.Error(RouterCli.Run("compare", files.Sample1, which switch { "empty" => files.Empty, "truncated" => files.Truncated, _ => files.RandomBytes }), "MALFORMED_REQUEST");

    [Fact]
    public void An_image_without_a_face_is_BAD_PARAM() =>
        CliAssert.Error(RouterCli.Run("compare", files.Sample1, files.NoFace), "BAD_PARAM");
}
