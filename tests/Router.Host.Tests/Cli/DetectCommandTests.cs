using System.Text.Json;
using Xunit;

namespace Router.Host.Tests.Cli;

/// <summary>`router detect` on real photos and bad inputs, through the built executable.</summary>
public sealed class DetectCommandTests(CliInputFiles files) : IClassFixture<CliInputFiles>
{
    [Fact]
    public void Sample1_gives_three_faces_with_boxes_and_only_the_requested_features()
    {
        var result = RouterCli.Run("detect", files.Sample1, "--gender");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json;
        Assert.Equal(1920, json.GetProperty("width").GetInt32());
        var faces = json.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(3, faces.Count);
        foreach (var face in faces)
        {
            var box = face.GetProperty("bbox");
            int l = box.GetProperty("left").GetInt32(), t = box.GetProperty("top").GetInt32();
            int r = box.GetProperty("right").GetInt32(), b = box.GetProperty("bottom").GetInt32();
            Assert.True(l >= 0 && t >= 0 && r > l && b > t && r <= 1920 && b <= 1280, box.ToString());
            Assert.InRange(face.GetProperty("detection_score").GetSingle(), 0.65f, 1f);
            var features = face.GetProperty("features");
            Assert.True(features.TryGetProperty("gender", out _), features.ToString());
            Assert.Equal(["gender"], features.EnumerateObject().Select(p => p.Name));
            Assert.False(face.TryGetProperty("facen", out _), "facen printed without --return-facen");
        }
    }

    [Fact]
    public void Facen_is_printed_only_with_return_facen()
    {
        var without = RouterCli.Run("detect", files.Sample1, "--facen");
        Assert.True(without.ExitCode == 0, without.ToString());
        Assert.All(without.Json.GetProperty("faces").EnumerateArray(), f => Assert.False(f.TryGetProperty("facen", out _)));

        var with = RouterCli.Run("detect", files.Sample1, "--return-facen");
        Assert.True(with.ExitCode == 0, with.ToString());
        var faces = with.Json.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(3, faces.Count);
        foreach (var face in faces)
        {
            var facen = face.GetProperty("facen");
            Assert.Equal(JsonValueKind.Array, facen.ValueKind);
            Assert.Equal(512, facen.GetArrayLength());
            var norm = MathF.Sqrt(facen.EnumerateArray().Sum(v => v.GetSingle() * v.GetSingle()));
            Assert.InRange(norm, 0.99f, 1.01f);
        }
    }

    [Fact]
    public void An_image_without_a_face_gives_no_faces_and_exit_0()
    {
        var result = RouterCli.Run("detect", files.NoFace);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, result.Json.GetProperty("faces").GetArrayLength());
    }

    [Fact]
    public void A_missing_file_is_NOT_FOUND() => CliAssert.Error(RouterCli.Run("detect", files.Missing), "NOT_FOUND");

    [Theory]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("random")]
    public void Bad_image_bytes_are_MALFORMED_REQUEST(string which) =>
        CliAssert.Error(RouterCli.Run("detect", which switch { "empty" => files.Empty, "truncated" => files.Truncated, _ => files.RandomBytes }), "MALFORMED_REQUEST");
}
